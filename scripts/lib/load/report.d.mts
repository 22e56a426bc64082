export type CategoryData = {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
  errorSamples: { what: string; error: string }[];
  serverErrors: { what: string; status: number; body: string }[];
  unexpected: { what: string; status: number; body: string }[];
};
export type Summary = { name: string; requests: number; perSecond: number; p50: number | null; p95: number | null; p99: number | null; max: number | null; statuses: Record<string, number>; errors: number };
export type IngestFigures = { targetPerSecond: number; offeredPerSecond: number; acknowledgedPerSecond: number };
export type Check = { name: string; ok: boolean; detail: string };

export const OFFERED_SHARE: number;
export const SUSTAINED_SHARE: number;
export function percentile(sorted: ArrayLike<number>, p: number): number | null;
export function summarize(name: string, data: CategoryData, seconds: number): Summary;
export function judgeRun(run: {
  categories: Record<string, CategoryData>;
  expected: Record<string, number[]>;
  counts: { name: string; actual: number; expected: number }[];
  conflicts: { pairs: number; oneAccepted: number; bothAccepted: number };
  replays: { sent: number; replayed: number };
  audit: { ok: boolean; checked: number; firstBrokenId: string | null; error?: string };
  ingest: IngestFigures;
}): Check[];
export function ingestSustained(ingest: IngestFigures): boolean;
export function fmtInt(n: number): string;
export function table(header: string[], rows: (string | number)[][]): string;
export function figuresTable(rows: Summary[]): string;
