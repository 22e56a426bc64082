import Link from "next/link";
import { SystemStatus } from "@/components/home/system-status";
import { RolloutTable } from "@/components/rollouts/rollout-table";
import { listRollouts } from "@/lib/rollouts/views";
import { Card, EmptyState, PageHeader } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { checkPagePermission } from "@/lib/auth/actor";
import { Forbidden } from "@/components/ui/forbidden";
import { describeActor } from "@/lib/auth/describe";
import { PERMISSIONS, can } from "@/lib/auth/permissions";
import { recentActivity } from "@/lib/registry/activity";
import { approvalsInbox, listPromotions } from "@/lib/promotions/views";
import { age } from "@/components/promotions/promotion-table";
import { PromotionStatusBadge } from "@/components/promotions/status-badge";
import { ReproBadge } from "@/components/models/badges";
import { Badge } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";

export default async function HomePage() {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const actor = gate.actor;
  const me = await describeActor(actor);
  const admin = can(actor, "users.manage");
  const [activity, inbox, mine, rollouts] = await Promise.all([
    recentActivity({ actor, limit: 8 }),
    approvalsInbox({ actor }),
    actor.kind === "user" ? listPromotions({ actor, query: { requester: "me", open: "true", limit: 6 } }) : { items: [] },
    listRollouts({ actor, query: { status: "active", limit: 5 } }),
  ]);
  return (
    <>
      <PageHeader
        title={`Welcome, ${me.name}`}
        description="Gatehouse governs how model versions move from development to staging to production: gates, sign-offs by named roles, alias changes and rollbacks, each on the audit trail."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Active rollouts" className="lg:col-span-3">
          {rollouts.items.length === 0 ? (
            <EmptyState title="No rollout is live" action={<Link className={linkStyles} href="/rollouts">All rollouts</Link>}>
              A rollout starts when a production promotion is approved: shadow, canary or blue-green, judged on live traffic against the champion.
            </EmptyState>
          ) : (
            <>
              <RolloutTable caption="Active rollouts" items={rollouts.items} />
              <p className="mt-3 text-sm">
                <Link className={linkStyles} href="/rollouts">
                  All rollouts
                </Link>
              </p>
            </>
          )}
        </Card>
        <Card title="Recent versions" className="lg:col-span-2">
          {activity.versions.length === 0 ? (
            <EmptyState title="No models registered yet" action={<Link className={linkStyles} href="/models">Browse models</Link>}>
              Pipelines register models and versions through the REST API (see /api/v1/openapi.json).
            </EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Recently registered versions">
              {activity.versions.map((v) => (
                <li key={`${v.model}-${v.version}`} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                  <Link className={linkStyles} href={`/models/${v.model}/versions/${v.version}`}>
                    {v.model} v{v.version}
                  </Link>
                  {v.aliases.map((a) => (
                    <Badge key={a} tone="info">
                      @{a}
                    </Badge>
                  ))}
                  {!v.reproducible && <ReproBadge reproducible={false} />}
                  <span className="text-slate-700 dark:text-slate-300">{v.description}</span>
                  <span className="ml-auto text-xs text-slate-700 dark:text-slate-300">
                    <Time value={v.createdAt} /> · {v.registeredBy}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="System status">
          <SystemStatus />
        </Card>
        <Card title="Recent alias changes" className="lg:col-span-2">
          {activity.aliasChanges.length === 0 ? (
            <EmptyState title="No alias has moved yet" />
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Recent alias changes">
              {activity.aliasChanges.map((c, i) => (
                <li key={i} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                  <Link className={linkStyles} href={`/models/${c.model}`}>
                    {c.model}@{c.alias}
                  </Link>
                  <span>{c.fromVersion === null ? `set to v${c.toVersion}` : c.toVersion === null ? `deleted (was v${c.fromVersion})` : `v${c.fromVersion} → v${c.toVersion}`}</span>
                  {c.reason && <span className="text-slate-700 dark:text-slate-300">“{c.reason}”</span>}
                  <span className="ml-auto text-xs text-slate-700 dark:text-slate-300">
                    <Time value={c.at} /> · {c.actor}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Waiting for your approval">
          {inbox.waiting.length + inbox.reviews.length === 0 ? (
            <EmptyState title="No promotion requests are waiting for you" />
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Requests waiting for your approval">
              {[...inbox.waiting, ...inbox.reviews].slice(0, 6).map((p) => (
                <li key={p.id} className="py-2 text-sm">
                  <Link className={linkStyles} href={`/promotions/${p.id}`}>
                    #{p.number} {p.model} v{p.version} → {p.stage}
                  </Link>{" "}
                  {p.reviewDue ? <Badge tone="warn">review due</Badge> : <span className="text-xs text-slate-700 dark:text-slate-300">waiting {age(p.createdAt)}</span>}
                </li>
              ))}
            </ul>
          )}
          <p className="mt-3 text-sm">
            <Link className={linkStyles} href="/approvals">
              All my approvals
            </Link>
          </p>
        </Card>
        <Card title="Your open requests">
          {mine.items.length === 0 ? (
            <EmptyState title="You have no open promotion requests" />
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Your open promotion requests">
              {mine.items.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                  <Link className={linkStyles} href={`/promotions/${p.id}`}>
                    #{p.number} {p.model} v{p.version} → {p.stage}
                  </Link>
                  <PromotionStatusBadge status={p.status} />
                </li>
              ))}
            </ul>
          )}
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
