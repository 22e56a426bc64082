import Link from "next/link";
import { Alert, Badge, Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import type { ConnectorView, SyncView } from "@/lib/mlflow/connector";
import { PushAliasesButton } from "./connector-forms";

/** What pushing Gatehouse's aliases would do in MLflow, one line per drifted alias. */
function pushChanges(connector: ConnectorView, current: Record<string, number>, protectedAliases: string[]): string[] {
  return connector.drift.map((d) => {
    const version = current[d.alias];
    if (version !== undefined) return `@${d.alias}: set to version ${version}`;
    return protectedAliases.includes(d.alias) ? `@${d.alias}: kept (protected; Gatehouse never deletes it in MLflow)` : `@${d.alias}: removed from MLflow`;
  });
}

/** The alert on the model page when MLflow's aliases disagree with Gatehouse's, with the way to resolve it. */
export function DriftAlert({ model, connector, canPush, aliases, protectedAliases }: { model: string; connector: ConnectorView; canPush: boolean; aliases: { alias: string; version: number }[]; protectedAliases: string[] }) {
  if (!connector.drift.length) return null;
  const current = Object.fromEntries(aliases.map((a) => [a.alias, a.version]));
  return (
    <div className="mb-6 space-y-3">
      <Alert tone="error" title="MLflow's aliases have drifted from Gatehouse's">
        <p>
          Someone changed aliases in MLflow ({connector.mlflowName} at {connector.trackingUri}) directly, bypassing Gatehouse
          {connector.driftSince && (
            <>
              , seen since <Time value={connector.driftSince} />
            </>
          )}
          :
        </p>
        <ul className="mt-2 list-disc pl-5">
          {connector.drift.map((d) => (
            <li key={d.alias}>{d.message}</li>
          ))}
        </ul>
        <p className="mt-2">
          Gatehouse governs these aliases: whatever resolves them in MLflow may be serving an unapproved version. Push Gatehouse&apos;s position back to MLflow, or move the alias in Gatehouse through a promotion request.
        </p>
      </Alert>
      {canPush ? <PushAliasesButton model={model} changes={pushChanges(connector, current, protectedAliases)} /> : <p className="text-xs text-slate-700 dark:text-slate-300">An ML Lead or an admin can push Gatehouse&apos;s aliases back to MLflow.</p>}
    </div>
  );
}

const SYNC_STATUS: Record<SyncView["status"], { label: string; tone: "good" | "warn" | "neutral" }> = {
  done: { label: "set in MLflow", tone: "good" },
  pending: { label: "waiting", tone: "warn" },
  superseded: { label: "superseded", tone: "neutral" },
};

export function SyncStatus({ sync }: { sync: SyncView }) {
  const s = SYNC_STATUS[sync.status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** What happened to one alias move in MLflow, in a sentence. */
export function SyncOutcome({ sync }: { sync: SyncView }) {
  const move = sync.version === null ? `remove @${sync.alias}` : `@${sync.alias} → v${sync.version}`;
  if (sync.status === "done") {
    return (
      <span>
        {move}: done <Time value={sync.doneAt} />
        {sync.attempts > 1 ? ` after ${sync.attempts} attempts` : ""}.
      </span>
    );
  }
  if (sync.status === "superseded") return <span>{move}: replaced by a later move of @{sync.alias} before it was sent.</span>;
  return (
    <span>
      {move}: {sync.attempts ? `attempt ${sync.attempts} failed (${sync.lastError}); trying again ` : "queued; sending "}
      {sync.nextAttemptAt ? <Time value={sync.nextAttemptAt} /> : "shortly"}.
    </span>
  );
}

/** The connector's state, for the model page's side column. */
export function ConnectorSummary({ model, connector, detailsLink = true }: { model: string; connector: ConnectorView; detailsLink?: boolean }) {
  return (
    <div className="space-y-2 text-sm">
      <p>
        Governs <strong>{connector.mlflowName}</strong> at <span className="break-all font-mono text-xs">{connector.trackingUri}</span>
        {!connector.enabled && (
          <span className="ml-2">
            <Badge tone="warn">paused</Badge>
          </span>
        )}
      </p>
      <p>
        Last import:{" "}
        {connector.lastImportAt ? (
          <>
            <Time value={connector.lastImportAt} /> <Badge tone={connector.lastImportStatus === "ok" ? "good" : "bad"}>{connector.lastImportStatus === "ok" ? "ok" : "failed"}</Badge>
          </>
        ) : (
          "not yet"
        )}
      </p>
      {connector.lastImportMessage && <p className="text-xs text-slate-700 dark:text-slate-300">{connector.lastImportMessage}</p>}
      {connector.failing.count > 0 && (
        <Alert tone="warning" title={`${connector.failing.count} alias move${connector.failing.count > 1 ? "s" : ""} waiting for MLflow`}>
          MLflow has not taken {connector.failing.count > 1 ? "them" : "it"} yet; Gatehouse keeps trying. Last error: {connector.failing.lastError}
        </Alert>
      )}
      {connector.nextImportAt && (
        <p className="text-xs text-slate-700 dark:text-slate-300">
          Next import <Time value={connector.nextImportAt} /> (every {connector.intervalMinutes} min).
        </p>
      )}
      {detailsLink && (
        <Link className={linkStyles} href={`/models/${model}/mlflow`}>
          Connector details and alias moves
        </Link>
      )}
    </div>
  );
}

/** Recent alias moves sent (or being sent) to MLflow. */
export function SyncTable({ syncs }: { syncs: SyncView[] }) {
  return (
    <Table caption="Alias moves sent to MLflow" head={["Queued", "Move", "How", "Status", "Outcome"]}>
      {syncs.map((s) => (
        <tr key={s.id}>
          <td className={cell}>
            <Time value={s.createdAt} />
          </td>
          <td className={cell}>{s.version === null ? `remove @${s.alias}` : `@${s.alias} → v${s.version}`}</td>
          <td className={cell}>
            {s.requestId ? (
              <Link className={linkStyles} href={`/promotions/${s.requestId}`}>
                {s.via}
              </Link>
            ) : (
              s.via
            )}
          </td>
          <td className={cell}>
            <SyncStatus sync={s} />
          </td>
          <td className={cell}>
            <SyncOutcome sync={s} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
