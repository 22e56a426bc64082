// Limits and waits as people read them; client-safe (no I/O), shared by pages, forms and error messages.

/** "30 seconds", "1 minute", "15 minutes": rounded up, so trying again at that time works. */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? "" : "s"}`;
}

/** "1,200 a minute", or "no limit" (null: the server's default is off). */
export function rateLimitLabel(perMinute: number | null): string {
  return perMinute === null ? "no limit" : `${perMinute.toLocaleString("en-US")} a minute`;
}
