import Link from "next/link";
import { SystemStatus } from "@/components/home/system-status";
import { Card, EmptyState, PageHeader } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { checkPagePermission } from "@/lib/auth/actor";
import { Forbidden } from "@/components/ui/forbidden";
import { describeActor } from "@/lib/auth/describe";
import { PERMISSIONS, can } from "@/lib/auth/permissions";

export default async function HomePage() {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const actor = gate.actor;
  const me = await describeActor(actor);
  const admin = can(actor, "users.manage");
  return (
    <>
      <PageHeader
        title={`Welcome, ${me.name}`}
        description="Gatehouse governs how model versions move from development to staging to production: gates, sign-offs by named roles, alias changes and rollbacks, each on the audit trail."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Models" className="lg:col-span-2">
          <EmptyState title="No models registered yet">
            Registered models, their versions and promotion requests will be listed here.
          </EmptyState>
        </Card>
        <Card title="System status">
          <SystemStatus />
        </Card>
        <Card title="Your access" className="lg:col-span-2">
          <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
            Roles: {me.roles.length ? me.roles.map((r) => (r.team ? `${r.role} of ${r.team}` : `${r.role} (all teams)`)).join(", ") : "none"}
          </p>
          <ul className="grid list-disc gap-1 pl-5 text-sm sm:grid-cols-2">
            {me.permissions.map((p) => (
              <li key={p}>{PERMISSIONS[p].description}</li>
            ))}
          </ul>
        </Card>
        {admin && (
          <Card title="Set up your organisation">
            <ol className="list-decimal space-y-1 pl-5 text-sm">
              <li>
                <Link className={linkStyles} href="/admin/teams">
                  Create teams
                </Link>{" "}
                that own models.
              </li>
              <li>
                <Link className={linkStyles} href="/admin/users">
                  Add people
                </Link>{" "}
                and grant roles per team.
              </li>
              <li>
                <Link className={linkStyles} href="/admin/tokens">
                  Issue API tokens
                </Link>{" "}
                for CI pipelines and the serving layer.
              </li>
            </ol>
          </Card>
        )}
      </div>
    </>
  );
}
