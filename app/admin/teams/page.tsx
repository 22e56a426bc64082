import type { Metadata } from "next";
import { CreateTeamForm } from "@/components/admin/team-form";
import { Forbidden } from "@/components/ui/forbidden";
import { Card, EmptyState, PageHeader, Table, cell } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import { checkPagePermission } from "@/lib/auth/actor";
import { listTeams } from "@/lib/auth/teams";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const gate = await checkPagePermission("teams.manage");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const teams = await listTeams({ actor: gate.actor });
  return (
    <>
      <PageHeader title="Teams" description="Models belong to a team; roles can be granted for one team or for all of them." />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {teams.length === 0 ? (
            <EmptyState title="No teams yet">Create a team for each group that owns models.</EmptyState>
          ) : (
            <Table caption="Teams" head={["Team", "Slug", "Role grants", "Created"]}>
              {teams.map((t) => (
                <tr key={t.id}>
                  <td className={cell}>{t.name}</td>
                  <td className={`${cell} font-mono text-xs`}>{t.slug}</td>
                  <td className={cell}>{t.members}</td>
                  <td className={cell}>
                    <Time value={t.createdAt} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </div>
        <Card title="Create a team">
          <CreateTeamForm />
        </Card>
      </div>
    </>
  );
}
