export type RangeResult = { ok: boolean; checked: number; firstBrokenId: string | null; firstPrevHash: string | null; lastHash: string | null; lastId: string | null };
export type RangeJob = { connectionString: string; from: string; to: string; first?: boolean };
export function verifyRange(opts: RangeJob): Promise<RangeResult>;
export function isoOf(text: string): string;
export function copyField(field: string): string | null;
export function copyRow(line: string): unknown[];
