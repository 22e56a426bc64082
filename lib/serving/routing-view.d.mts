export type RoutingVersion = { version: number; artifactUri: string; artifactChecksum: string };
export type RoutingView = {
  model: string;
  champion: RoutingVersion | null;
  challenger: RoutingVersion | null;
  mode: "none" | "shadow" | "canary" | "blue-green";
  challengerTrafficPercent: number;
  rolloutId: string | null;
  rolloutNumber: number | null;
  paused: boolean;
  updatedAt: string | null;
};
export function routingQuery(oneModel: boolean): string;
export function routingView(row: Record<string, unknown>): RoutingView;
