"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";

type Health = {
  status: "ok" | "degraded" | "down";
  version: string;
  time: string;
  database: { reachable: boolean; latencyMs: number | null };
  migrations: { current: boolean; applied: number; expected: number; pending: string[] } | null;
};

/** Live health, polled every 15 s while the tab is visible. */
export function SystemStatus() {
  const { data, error, isPending } = useQuery<Health>({
    queryKey: ["health"],
    queryFn: async () => {
      const res = await fetch("/api/v1/health", { cache: "no-store" });
      const body = (await res.json().catch(() => null)) as Health | null;
      if (!body) throw new Error(`Health check answered ${res.status}`);
      return body;
    },
    refetchInterval: 15_000,
    refetchIntervalInBackground: false,
  });
  if (isPending) return <p className="text-sm text-slate-700 dark:text-slate-300" aria-busy="true">Checking…</p>;
  if (error || !data) return <p className="text-sm text-red-700 dark:text-red-400">Gatehouse did not answer the health check.</p>;
  const tone = data.status === "ok" ? "good" : data.status === "degraded" ? "warn" : "bad";
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="system-status">
      <dt className="text-slate-700 dark:text-slate-300">Status</dt>
      <dd>
        <Badge tone={tone}>{data.status}</Badge>
      </dd>
      <dt className="text-slate-700 dark:text-slate-300">Database</dt>
      <dd>{data.database.reachable ? `reachable (${data.database.latencyMs} ms)` : "unreachable"}</dd>
      <dt className="text-slate-700 dark:text-slate-300">Migrations</dt>
      <dd>{data.migrations ? (data.migrations.current ? `current (${data.migrations.applied})` : `${data.migrations.pending.length} pending`) : "unknown"}</dd>
      <dt className="text-slate-700 dark:text-slate-300">Version</dt>
      <dd>{data.version}</dd>
      <dt className="text-slate-700 dark:text-slate-300">Checked</dt>
      <dd>
        <Time value={data.time} />
      </dd>
    </dl>
  );
}
