"use client";

import { useEffect, useState } from "react";

/**
 * A moment in the viewer's own time zone, with the exact UTC time on hover. The server renders UTC (it cannot
 * know the viewer's zone) and the browser swaps in local time after hydration.
 */
export function Time({ value, fallback = "—" }: { value: string | Date | null | undefined; fallback?: string }) {
  const [local, setLocal] = useState<string | null>(null);
  const date = value ? new Date(value) : null;
  const iso = date?.toISOString();
  useEffect(() => {
    if (!iso) return;
    setLocal(
      // dateStyle/timeStyle cannot be combined with timeZoneName, so the fields are spelled out.
      new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" }).format(new Date(iso)),
    );
  }, [iso]);
  if (!date || !iso) return <span>{fallback}</span>;
  const utc = iso.replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
  return (
    <time dateTime={iso} title={utc} suppressHydrationWarning>
      {local ?? utc}
    </time>
  );
}

/** A moment in UTC to the second, for records that say they are in UTC (the audit log, alias histories). */
export function UtcTime({ value }: { value: string | Date }) {
  const iso = new Date(value).toISOString();
  return <time dateTime={iso}>{iso.replace("T", " ").replace(/\.\d{3}Z$/, " UTC")}</time>;
}
