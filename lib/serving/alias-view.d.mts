export type AliasView = { model: string; alias: string; version: number; artifactUri: string; artifactChecksum: string; updatedAt: string };
export function aliasView(row: { model: string; alias: string; version: number; artifactUri: string; artifactChecksum: string; updatedAt: Date | string }): AliasView;
export function aliasEtag(view: object): string;
export function etagMatches(header: string | null, etag: string): boolean;
export const CHANGES_CHANNEL: "gatehouse_changes";
