import type { TCreateVersionInput } from "@/lib/registry/schemas";
import { versionInputFromMlflow, type FieldOrigins, type MlflowTag } from "./shapes";

/**
 * The connector's decisions, pure: what to import, what counts as drift, how a run becomes lineage and a metrics
 * report, and when to try an alias move again. Tested as tables in connector-rules.test.ts.
 */

/** An MLflow `ModelVersion` as the connector reads it from `model-versions/search`. */
export type RemoteVersion = { version: string; status?: string; source?: string; run_id?: string; run_link?: string; description?: string; tags?: MlflowTag[]; creation_timestamp?: number };
/** An MLflow `Run` (service.proto `Run { info, data }`) as `runs/get` returns it. */
export type RemoteRun = {
  info?: { run_id?: string; experiment_id?: string; artifact_uri?: string };
  data?: { metrics?: { key: string; value: number; timestamp?: number; step?: number }[]; params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] };
};

/** The MLflow versions to import: READY ones Gatehouse lacks, oldest first (so parents come before children). */
export function versionsToImport(remote: readonly RemoteVersion[], known: ReadonlySet<number>): RemoteVersion[] {
  return remote
    .filter((v) => /^\d{1,9}$/.test(v.version) && Number(v.version) > 0 && (v.status ?? "READY") === "READY" && !known.has(Number(v.version)))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

export type DriftItem = { alias: string; mlflow: number | null; gatehouse: number | null };

/**
 * Where MLflow's aliases disagree with Gatehouse's, which governs them: an alias moved, added or removed in MLflow
 * directly. Aliases with a move still queued for MLflow are left out: they differ only until it is delivered.
 */
export function detectDrift(mlflow: Readonly<Record<string, number>>, gatehouse: Readonly<Record<string, number>>, pending: ReadonlySet<string>): DriftItem[] {
  const names = [...new Set([...Object.keys(mlflow), ...Object.keys(gatehouse)])].filter((a) => !pending.has(a)).sort();
  return names.flatMap((alias) => {
    const m = mlflow[alias] ?? null;
    const g = gatehouse[alias] ?? null;
    return m === g ? [] : [{ alias, mlflow: m, gatehouse: g }];
  });
}

export function describeDrift(d: DriftItem): string {
  if (d.gatehouse === null) return `@${d.alias} points at version ${d.mlflow} in MLflow but is not set in Gatehouse`;
  if (d.mlflow === null) return `@${d.alias} is version ${d.gatehouse} in Gatehouse but was removed in MLflow`;
  return `@${d.alias} points at version ${d.mlflow} in MLflow, version ${d.gatehouse} in Gatehouse`;
}

/** MLflow's `{ alias, version }` list as a record of numbers. */
export function aliasRecord(aliases: readonly { alias: string; version: string }[] | undefined): Record<string, number> {
  return Object.fromEntries((aliases ?? []).filter((a) => /^\d{1,9}$/.test(a.version)).map((a) => [a.alias, Number(a.version)]));
}

/** The run's tags that are lineage (the git tags MLflow sets on runs), under the version's own tags, which win. */
const RUN_LINEAGE_TAGS = ["mlflow.source.git.commit", "mlflow.source.git.repoURL", "gatehouse.data.hash", "gatehouse.data.snapshot", "gatehouse.feature_set.name", "gatehouse.feature_set.version"];

/** A link to the run in MLflow's UI. */
export function runLink(trackingUri: string, run: RemoteRun | null, runId: string): string {
  const base = trackingUri.replace(/\/+$/, "");
  const experiment = run?.info?.experiment_id;
  return experiment ? `${base}/#/experiments/${encodeURIComponent(experiment)}/runs/${encodeURIComponent(runId)}` : `${base}/#/runs/${encodeURIComponent(runId)}`;
}

/**
 * An imported MLflow version as a Gatehouse registration: the version's tags and fields (as through the MLflow API),
 * with the run's git tags as lineage where the version has none, its params as hyperparameters, and a link to it.
 */
export function importedVersionInput(o: { trackingUri: string; version: RemoteVersion; run: RemoteRun | null }): { input: TCreateVersionInput; origins: FieldOrigins } {
  const tags = Object.fromEntries((o.version.tags ?? []).map((t) => [t.key, t.value]));
  const runTags = Object.fromEntries((o.run?.data?.tags ?? []).filter((t) => RUN_LINEAGE_TAGS.includes(t.key)).map((t) => [t.key, t.value]));
  const runId = o.version.run_id || undefined;
  const link = o.version.run_link || (runId ? runLink(o.trackingUri, o.run, runId) : undefined);
  const { input, origins } = versionInputFromMlflow({
    source: o.version.source ?? "",
    run_id: runId,
    run_link: link && /^https?:\/\//.test(link) ? link : undefined,
    description: o.version.description,
    tags: { ...runTags, ...tags },
  });
  const params = (o.run?.data?.params ?? []).slice(0, 200);
  input.lineage = { ...input.lineage, hyperparameters: Object.fromEntries(params.map((p) => [p.key.slice(0, 200), p.value.slice(0, 2_000)])) };
  return { input, origins };
}

/**
 * The run's metrics as an offline-metrics report: the latest value of each (highest step, then newest), finite ones
 * only. Null for a run without metrics.
 */
export function metricsReport(run: RemoteRun | null, runId: string): { kind: "offline-metrics"; payload: { dataset: { name: string }; metrics: Record<string, number> } } | null {
  const latest = new Map<string, { value: number; step: number; timestamp: number }>();
  for (const m of run?.data?.metrics ?? []) {
    if (typeof m.value !== "number" || !Number.isFinite(m.value) || !m.key?.trim()) continue;
    const key = m.key.trim().slice(0, 200);
    const here = { value: m.value, step: m.step ?? 0, timestamp: m.timestamp ?? 0 };
    const seen = latest.get(key);
    if (!seen || here.step > seen.step || (here.step === seen.step && here.timestamp >= seen.timestamp)) latest.set(key, here);
  }
  if (!latest.size) return null;
  const metrics = Object.fromEntries([...latest.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.value]));
  return { kind: "offline-metrics", payload: { dataset: { name: `MLflow run ${runId}` }, metrics } };
}

/**
 * When to try an alias move in MLflow again after its `failures`-th failed attempt: 15 s, doubling to at most 10
 * minutes, with equal jitter. It never gives up (Gatehouse's alias has moved; MLflow must follow), so a fixed token
 * or a recovered server is caught up within ten minutes.
 */
export const SYNC_BASE_DELAY_MS = 15_000;
export const SYNC_MAX_DELAY_MS = 10 * 60_000;

export function syncRetryDelayMs(failures: number, random: () => number = Math.random): number {
  if (failures < 1) return 0;
  const ceiling = Math.min(SYNC_BASE_DELAY_MS * 2 ** Math.min(failures - 1, 20), SYNC_MAX_DELAY_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
