/**
 * Durations in policies are written as a number and a unit: `90s`, `15m`, `2h`, `7d`, `2w`. Pure helpers shared by
 * the schema (validation), the gates (report age, approval time-to-live) and the rollout (holds, bake times).
 */
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;
export const DURATION_HINT = "a duration such as 90s, 15m, 2h, 7d or 2w";

/** Seconds in a duration string; null when it is not one. */
export function durationSeconds(text: string): number | null {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

/** A duration in the largest whole unit that fits, for sentences: 172800 → "2 days". */
export function formatDuration(seconds: number): string {
  const units: [number, string][] = [
    [604_800, "week"],
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  const hours = Number((seconds / 3_600).toFixed(1));
  const n = hours >= 1 ? hours : Math.round(seconds);
  return `${n} ${hours >= 1 ? "hour" : "second"}${n === 1 ? "" : "s"}`;
}
