import type { Metadata } from "next";
import Link from "next/link";
import { CreateUserForm } from "@/components/admin/user-forms";
import { Forbidden } from "@/components/ui/forbidden";
import { Badge, Card, EmptyState, PageHeader, Pagination, Table, cell } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { checkPagePermission } from "@/lib/auth/actor";
import { ZListQuery } from "@/lib/auth/schemas";
import { listTeams } from "@/lib/auth/teams";
import { listUsers } from "@/lib/auth/users";
import { UserStatus } from "@/components/admin/user-status";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("users.manage");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const params = ZListQuery.safeParse({ ...(await searchParams), limit: 25 });
  const query = params.success ? params.data : { q: undefined, cursor: undefined, limit: 25 };
  const [page, teams] = await Promise.all([listUsers({ actor: gate.actor, ...query }), listTeams({ actor: gate.actor })]);
  return (
    <>
      <PageHeader title="Users" description="People who sign in to Gatehouse, and the roles they hold globally or per team." />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <form role="search" className="flex gap-2" action="/admin/users">
            <label htmlFor="user-search" className="sr-only">
              Search users by email or name
            </label>
            <input id="user-search" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Search by email or name" className={inputStyles} />
            <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
              Search
            </button>
          </form>
          {page.items.length === 0 ? (
            <EmptyState title={query.q ? `No users match “${query.q}”` : "No users yet"}>
              {query.q ? "Try another search." : "Add the first user with the form."}
            </EmptyState>
          ) : (
            <Table caption="Users" head={["User", "Roles", "Status", "Last sign-in"]}>
              {page.items.map((u) => (
                <tr key={u.id}>
                  <td className={cell}>
                    <Link className={linkStyles} href={`/admin/users/${u.id}`}>
                      {u.email}
                    </Link>
                    <div className="text-xs text-slate-700 dark:text-slate-300">{u.name}</div>
                  </td>
                  <td className={cell}>
                    <div className="flex flex-wrap gap-1">
                      {u.grants.length === 0 && <span className="text-xs text-slate-700 dark:text-slate-300">none</span>}
                      {u.grants.map((g) => (
                        <Badge key={g.id} tone="info">
                          {g.team ? `${g.role}@${g.team.slug}` : g.role}
                        </Badge>
                      ))}
                    </div>
                  </td>
                  <td className={cell}>
                    <UserStatus user={u} />
                  </td>
                  <td className={cell}>
                    <Time value={u.lastSignInAt} fallback="never" />
                  </td>
                </tr>
              ))}
            </Table>
          )}
          <Pagination basePath="/admin/users" params={{ q: query.q }} nextCursor={page.nextCursor} hasPrevious={Boolean(query.cursor)} />
        </div>
        <Card title="Add a user">
          <CreateUserForm teams={teams} />
        </Card>
      </div>
    </>
  );
}
