import type { Metadata } from "next";
import Link from "next/link";
import { ImportNowButton } from "@/components/mlflow/connector-forms";
import { ConnectorSummary, DriftAlert } from "@/components/mlflow/connector-status";
import { DeleteAliasButton, RollbackAliasButton, SetAliasForm } from "@/components/models/alias-forms";
import { ReproBadge, RiskBadge, StatusBadge, shortHash } from "@/components/models/badges";
import { Forbidden } from "@/components/ui/forbidden";
import { Alert, BackLink, Badge, Card, EmptyState, PageHeader, Pagination, Table, cell } from "@/components/ui/layout";
import { buttonStyles, linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { canImportNow, getConnector } from "@/lib/mlflow/connector";
import { aliasHistory, protectedAliasesOf } from "@/lib/registry/aliases";
import { rollbackTarget } from "@/lib/promotions/rollback";

const VIA: Record<string, string> = { direct: "set by hand", import: "imported", promotion: "promotion", emergency: "emergency promotion", rollback: "rollback", rollout: "rollout" };
import { getModel } from "@/lib/registry/models";
import { REPORT_KINDS } from "@/lib/registry/report-schemas";
import { currentReports } from "@/lib/registry/rules";
import { listVersions } from "@/lib/registry/versions";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: (await params).name };
}

function ReportKinds({ kinds }: { kinds: string[] }) {
  if (kinds.length === 0) return <>none</>;
  const sorted = [...kinds].sort();
  return <span title={sorted.join(", ")}>{sorted.length === REPORT_KINDS.length ? "all kinds" : sorted.join(", ")}</span>;
}

export default async function ModelPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ cursor?: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { name } = await params;
  const { cursor } = await searchParams;
  const model = await orNotFound(getModel({ actor: gate.actor, name }));
  const [versions, history, protectedAliases, fullHistory, connector] = await Promise.all([
    orNotFound(listVersions({ actor: gate.actor, model: name, query: { cursor, limit: 25 } })),
    aliasHistory({ actor: gate.actor, model: name, limit: 25 }),
    protectedAliasesOf({ actor: gate.actor, model: name }),
    aliasHistory({ actor: gate.actor, model: name, limit: 500 }),
    getConnector({ actor: gate.actor, model: name }),
  ]);
  const canSetAliases = can(gate.actor, "aliases.set", model.team.id);
  const canRollback = can(gate.actor, "aliases.rollback", model.team.id);
  const previousHolder = (alias: string, current: number) => {
    const target = rollbackTarget([...fullHistory].reverse().filter((h) => h.alias === alias), current);
    return "version" in target ? target.version : null;
  };
  const earlierHolders = (alias: string) => [...new Set(fullHistory.filter((h) => h.alias === alias && h.toVersion !== null).map((h) => h.toVersion as number))].sort((a, b) => b - a);
  const champion = model.aliases.find((a) => a.alias === "champion");
  const challenger = model.aliases.find((a) => a.alias === "challenger");
  return (
    <>
      <BackLink href="/models">All models</BackLink>
      <PageHeader
        title={model.name}
        description={model.description}
        actions={
          <div className="flex flex-wrap gap-2">
            <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href={`/models/${model.name}/policy`}>
              Promotion policy
            </Link>
            {(connector || (can(gate.actor, "mlflow.manage", model.team.id) && !model.archivedAt)) && (
              <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href={`/models/${model.name}/mlflow`}>
                {connector ? "MLflow connector" : "Connect to MLflow"}
              </Link>
            )}
            {champion && challenger && (
              <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href={`/models/${model.name}/compare?a=${challenger.version}&b=${champion.version}`}>
                Compare challenger with champion
              </Link>
            )}
          </div>
        }
      />
      {model.archivedAt && (
        <div className="mb-6">
          <Alert tone="warning" title="Archived">
            This model was deleted through the MLflow API <Time value={model.archivedAt} />. Gatehouse archived it with its versions instead: its history and audit trail stay, and it takes no new versions.
          </Alert>
        </div>
      )}
      {connector && <DriftAlert model={model.name} connector={connector} canPush={can(gate.actor, "aliases.rollback", model.team.id)} aliases={model.aliases} protectedAliases={protectedAliases} />}
      <div className="mb-6 flex flex-wrap items-center gap-2 text-sm">
        <span>Team {model.team.name}</span>
        <RiskBadge tier={model.riskTier} />
        {Object.entries(model.tags).map(([k, v]) => (
          <Badge key={k}>
            {k}={v}
          </Badge>
        ))}
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section aria-labelledby="versions-heading">
            <h2 id="versions-heading" className="mb-3 text-lg font-semibold">
              Versions
            </h2>
            {versions.items.length === 0 ? (
              <EmptyState title="No versions yet">{connector ? `Versions are imported from MLflow (${connector.mlflowName}).` : `Pipelines register versions with POST /api/v1/models/${model.name}/versions, or through the MLflow API.`}</EmptyState>
            ) : (
              <Table caption={`Versions of ${model.name}`} head={["Version", "Aliases", "Commit", "Data hash", "Feature set", "Reports", "Registered"]}>
                {versions.items.map((v) => (
                  <tr key={v.version}>
                    <td className={cell}>
                      <Link className={linkStyles} href={`/models/${model.name}/versions/${v.version}`}>
                        v{v.version}
                      </Link>
                      <div className="mt-1 flex flex-wrap gap-1">
                        <StatusBadge status={v.status} />
                        <ReproBadge reproducible={v.reproducible} missing={v.notReproducibleBecauseMissing} />
                      </div>
                    </td>
                    <td className={cell}>{v.aliases.length ? v.aliases.map((a) => <Badge key={a} tone="info">@{a}</Badge>) : "—"}</td>
                    <td className={`${cell} font-mono text-xs`}>{shortHash(v.lineage.commitSha, 8)}</td>
                    <td className={`${cell} font-mono text-xs`}>{shortHash(v.lineage.dataHash, 14)}</td>
                    <td className={cell}>{v.lineage.featureSet ? `${v.lineage.featureSet.name} v${v.lineage.featureSet.version}` : "—"}</td>
                    <td className={cell}>
                      <ReportKinds kinds={currentReports(v.reports).map((r) => r.kind)} />
                    </td>
                    <td className={cell}>
                      <Time value={v.createdAt} />
                      <div className="text-xs text-slate-700 dark:text-slate-300">{v.registeredBy}</div>
                    </td>
                  </tr>
                ))}
              </Table>
            )}
            <Pagination basePath={`/models/${model.name}`} params={{}} nextCursor={versions.nextCursor} hasPrevious={Boolean(cursor)} />
          </section>
          <section aria-labelledby="history-heading">
            <h2 id="history-heading" className="mb-3 text-lg font-semibold">
              Alias history
            </h2>
            {history.length === 0 ? (
              <EmptyState title="No alias has been set yet" />
            ) : (
              <Table caption="Alias history" head={["When", "Alias", "Change", "How", "Who", "Why"]}>
                {history.map((h, i) => (
                  <tr key={i}>
                    <td className={cell}>
                      <Time value={h.at} />
                    </td>
                    <td className={cell}>
                      <Link className={linkStyles} href={`/models/${model.name}/aliases/${h.alias}`}>
                        @{h.alias}
                      </Link>
                    </td>
                    <td className={cell}>{h.fromVersion === null ? `set to v${h.toVersion}` : h.toVersion === null ? `deleted (was v${h.fromVersion})` : `v${h.fromVersion} → v${h.toVersion}`}</td>
                    <td className={cell}>
                      {h.requestId ? (
                        <Link className={linkStyles} href={`/promotions/${h.requestId}`}>
                          {VIA[h.via] ?? h.via}
                        </Link>
                      ) : (
                        (VIA[h.via] ?? h.via)
                      )}
                    </td>
                    <td className={cell}>{h.actor}</td>
                    <td className={cell}>{h.reason ?? ""}</td>
                  </tr>
                ))}
              </Table>
            )}
          </section>
        </div>
        <div className="space-y-6">
        <Card title="Aliases">
          {model.aliases.length === 0 ? (
            <p className="mb-4 text-sm text-slate-700 dark:text-slate-300">No aliases point at a version yet.</p>
          ) : (
            <ul className="mb-4 divide-y divide-slate-200 dark:divide-slate-800" aria-label="Current aliases">
              {model.aliases.map((a) => (
                <li key={a.alias} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <span>
                    <strong>@{a.alias}</strong> →{" "}
                    <Link className={linkStyles} href={`/models/${model.name}/versions/${a.version}`}>
                      v{a.version}
                    </Link>
                    {protectedAliases.includes(a.alias) && (
                      <span className="ml-2">
                        <Badge>protected</Badge>
                      </span>
                    )}
                  </span>
                  <span className="flex items-center gap-1">
                    {canRollback && earlierHolders(a.alias).some((v) => v !== a.version) && <RollbackAliasButton model={model.name} alias={a.alias} version={a.version} earlier={earlierHolders(a.alias)} previous={previousHolder(a.alias, a.version)} />}
                    {canSetAliases && !protectedAliases.includes(a.alias) && <DeleteAliasButton model={model.name} alias={a.alias} />}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {model.archivedAt ? null : canSetAliases ? (
            versions.items.length > 0 && <SetAliasForm model={model.name} versions={versions.items.map((v) => ({ version: v.version, status: v.status }))} />
          ) : (
            <p className="text-xs text-slate-700 dark:text-slate-300">Engineers of {model.team.name} can set and delete unprotected aliases.</p>
          )}
          {protectedAliases.length > 0 && (
            <p className="mt-3 text-xs text-slate-700 dark:text-slate-300">
              Protected ({protectedAliases.map((a) => `@${a}`).join(", ")}) move only through an approved{" "}
              <Link className={linkStyles} href={`/promotions?model=${model.name}`}>
                promotion request
              </Link>
              , a rollout or a rollback.
            </p>
          )}
        </Card>
          {connector && (
            <Card title="MLflow">
              <ConnectorSummary model={model.name} connector={connector} />
              {canImportNow(gate.actor, model.team.id) && (
                <div className="mt-3">
                  <ImportNowButton model={model.name} />
                </div>
              )}
            </Card>
          )}
        </div>
      </div>
    </>
  );
}
