export type MigrationStatus = { current: boolean; applied: number; expected: number; pending: string[]; unknown: string[] };

/** Compares the migration folders shipped with this build to those the database has applied. */
export function migrationStatus(expected: readonly string[], applied: readonly string[]): MigrationStatus {
  const done = new Set(applied);
  const known = new Set(expected);
  const pending = [...expected].filter((m) => !done.has(m)).sort();
  const unknown = [...done].filter((m) => !known.has(m)).sort();
  return { current: pending.length === 0, applied: done.size, expected: known.size, pending, unknown };
}
