import "server-only";
import { db } from "@/lib/db";
import { PERMISSION_NAMES, can, type Actor, type Permission } from "./permissions";

export type ActorView = {
  kind: Actor["kind"];
  label: string;
  name: string;
  roles: { role: string; team: string | null }[];
  scopes: string[];
  /** What the actor may do somewhere (on at least one team). */
  permissions: Permission[];
};

export async function describeActor(actor: Actor): Promise<ActorView> {
  const grants = actor.kind === "user" ? actor.grants : [];
  const teamIds = grants.flatMap((g) => (g.teamId ? [g.teamId] : []));
  const teams = teamIds.length ? await db.team.findMany({ where: { id: { in: teamIds } } }) : [];
  const slug = new Map(teams.map((t) => [t.id, t.slug]));
  return {
    kind: actor.kind,
    label: actor.label,
    name: actor.kind === "user" ? actor.name : actor.label,
    roles: grants.map((g) => ({ role: g.role, team: g.teamId ? (slug.get(g.teamId) ?? g.teamId) : null })),
    scopes: actor.kind === "service" ? [...actor.scopes] : [],
    permissions: PERMISSION_NAMES.filter((p) => can(actor, p)),
  };
}
