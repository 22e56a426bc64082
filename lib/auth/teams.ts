import "server-only";
import { conflict } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db";
import { requirePermission } from "./require";
import type { Actor } from "./permissions";
import { ZCreateTeamInput, type TCreateTeamInput } from "./schemas";

export type TeamView = { id: string; slug: string; name: string; createdAt: string; members: number };

export async function listTeams(opts: { actor: Actor | null }): Promise<TeamView[]> {
  requirePermission(opts.actor, "registry.read");
  const teams = await db.team.findMany({ orderBy: { slug: "asc" }, include: { _count: { select: { grants: true } } } });
  return teams.map((t) => ({ id: t.id, slug: t.slug, name: t.name, createdAt: t.createdAt.toISOString(), members: t._count.grants }));
}

export async function createTeam(opts: { actor: Actor | null; input: TCreateTeamInput }): Promise<TeamView> {
  const actor = requirePermission(opts.actor, "teams.manage");
  const input = ZCreateTeamInput.parse(opts.input);
  return transaction(async (tx) => {
    if (await tx.team.findUnique({ where: { slug: input.slug } })) {
      throw conflict(`A team "${input.slug}" already exists`, [{ path: "slug", message: "Already taken" }]);
    }
    const team = await tx.team.create({ data: { slug: input.slug, name: input.name } });
    await recordAuditEvent(tx, {
      actor,
      action: "team.create",
      target: { type: "team", id: team.id, teamId: team.id },
      after: { slug: team.slug, name: team.name },
      reason: input.reason,
    });
    return { id: team.id, slug: team.slug, name: team.name, createdAt: team.createdAt.toISOString(), members: 0 };
  });
}
