import type { Metadata } from "next";
import { ConnectorForm, DisconnectButton, ImportNowButton } from "@/components/mlflow/connector-forms";
import { ConnectorSummary, DriftAlert, SyncTable } from "@/components/mlflow/connector-status";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, Card, EmptyState, PageHeader } from "@/components/ui/layout";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { canImportNow, getConnector } from "@/lib/mlflow/connector";
import { protectedAliasesOf } from "@/lib/registry/aliases";
import { getModel } from "@/lib/registry/models";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `MLflow · ${(await params).name}` };
}

export default async function MlflowConnectorPage({ params }: { params: Promise<{ name: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { name } = await params;
  const model = await orNotFound(getModel({ actor: gate.actor, name }));
  const [connector, protectedAliases] = await Promise.all([getConnector({ actor: gate.actor, model: name }), protectedAliasesOf({ actor: gate.actor, model: name })]);
  const canManage = can(gate.actor, "mlflow.manage", model.team.id);
  const canImport = canImportNow(gate.actor, model.team.id);
  return (
    <>
      <BackLink href={`/models/${model.name}`}>{model.name}</BackLink>
      <PageHeader
        title="MLflow connector"
        description={
          <>
            Gatehouse governs a registered model of an MLflow registry: it imports its versions (keeping MLflow&apos;s numbers) with their run&apos;s lineage and metrics, and makes every alias move approved in Gatehouse in
            MLflow too. See docs/mlflow.md.
          </>
        }
      />
      {connector && <DriftAlert model={model.name} connector={connector} canPush={can(gate.actor, "aliases.rollback", model.team.id)} aliases={model.aliases} protectedAliases={protectedAliases} />}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {connector ? (
            <section aria-labelledby="syncs-heading">
              <h2 id="syncs-heading" className="mb-3 text-lg font-semibold">
                Alias moves sent to MLflow
              </h2>
              {connector.syncs.length ? <SyncTable syncs={connector.syncs} /> : <EmptyState title="No alias has moved since the connection was made">Promotions, rollouts and rollbacks of {model.name} are sent to MLflow here.</EmptyState>}
            </section>
          ) : (
            <EmptyState title={`${model.name} is not connected to MLflow`}>{canManage ? "Connect it with the form: Gatehouse then imports its versions from MLflow." : "An admin can connect it to an MLflow registry."}</EmptyState>
          )}
          {canManage && !model.archivedAt && (
            <Card title={connector ? "Connection" : "Connect to MLflow"}>
              <ConnectorForm model={model.name} connector={connector} />
              {connector && (
                <div className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800">
                  <DisconnectButton model={model.name} />
                </div>
              )}
            </Card>
          )}
        </div>
        {connector && (
          <Card title="Status">
            <ConnectorSummary model={model.name} connector={connector} detailsLink={false} />
            {canImport && (
              <div className="mt-4">
                <ImportNowButton model={model.name} />
              </div>
            )}
          </Card>
        )}
      </div>
    </>
  );
}
