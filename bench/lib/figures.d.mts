export type Target = { atLeast: number; atMost?: undefined } | { atMost: number; atLeast?: undefined } | null;
export type Row = { section: string; name: string; unit: string; value: number | null; runs: (number | null)[]; target: Target; ok: boolean | null; note: string; failure: string | null };
export function percentile(values: readonly number[], p: number): number;
export function median(values: readonly number[]): number;
export function meets(value: number, target: Target): boolean | null;
export function row(r: { section: string; name: string; unit: string; runs: number[]; target?: Target; note?: string; digits?: number; failure?: string | null }): Row;
export function formatValue(value: number | null | undefined, unit: string): string;
export function formatTarget(target: Target, unit: string): string;
export function table(rows: readonly Row[]): string;
