import type { Metadata } from "next";
import { ActiveForm, GrantRoleForm, ReissueInvitationForm, ResetPasswordForm, RevokeRoleButton } from "@/components/admin/user-forms";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, Alert, Card, PageHeader } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { listTeams } from "@/lib/auth/teams";
import { getUser } from "@/lib/auth/users";
import { UserStatus } from "@/components/admin/user-status";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> }) {
  const gate = await checkPagePermission("users.manage");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { id } = await params;
  const user = await orNotFound(getUser({ actor: gate.actor, id }));
  const teams = await listTeams({ actor: gate.actor });
  const created = (await searchParams).created;
  return (
    <>
      <BackLink href="/admin/users">All users</BackLink>
      <PageHeader title={user.name} description={user.email} actions={<UserStatus user={user} />} />
      {created && (
        <div className="mb-6">
          <Alert tone="success">User created. They can sign in with the initial password you chose.</Alert>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Roles">
          {user.grants.length === 0 ? (
            <p className="mb-4 text-sm text-slate-700 dark:text-slate-300">No roles: this user can sign in but sees nothing.</p>
          ) : (
            <ul className="mb-4 divide-y divide-slate-200 dark:divide-slate-800" aria-label="Granted roles">
              {user.grants.map((g) => {
                const label = g.team ? `${g.role} of ${g.team.slug}` : `${g.role} on all teams`;
                return (
                  <li key={g.id} className="flex items-center justify-between py-2 text-sm">
                    <span>
                      {label}
                      {g.source === "oidc" && <span className="ml-2 text-xs text-slate-700 dark:text-slate-300">(from single sign-on)</span>}
                    </span>
                    <RevokeRoleButton id={user.id} grantId={g.id} label={label} />
                  </li>
                );
              })}
            </ul>
          )}
          <GrantRoleForm id={user.id} teams={teams} />
        </Card>
        <div className="space-y-6">
          <Card title="Account">
            <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-700 dark:text-slate-300">Created</dt>
              <dd>
                <Time value={user.createdAt} />
              </dd>
              <dt className="text-slate-700 dark:text-slate-300">Last sign-in</dt>
              <dd>
                <Time value={user.lastSignInAt} fallback="never" />
              </dd>
              <dt className="text-slate-700 dark:text-slate-300">Sign-in</dt>
              <dd>{user.sso ? "single sign-on" : user.invited ? "invited; has not chosen a password yet" : "email and password"}</dd>
            </dl>
            <ActiveForm id={user.id} active={user.active} />
          </Card>
          {user.invited && user.active && (
            <Card title="Invitation">
              <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">Lost the link, or did it expire? A new one replaces it.</p>
              <ReissueInvitationForm id={user.id} email={user.email} />
            </Card>
          )}
          <Card title={user.invited ? "Set a password instead" : "Reset password"}>
            <ResetPasswordForm id={user.id} />
          </Card>
        </div>
      </div>
    </>
  );
}
