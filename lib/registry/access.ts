import "server-only";
import { can, type Actor, type Permission } from "@/lib/auth/permissions";

/**
 * The teams whose models `actor` may read: null for all (a global grant, a service token, the system), else the
 * team ids of their per-team grants.
 */
export function readableTeamIds(actor: Actor, permission: Permission = "registry.read"): string[] | null {
  if (actor.kind !== "user") return can(actor, permission) ? null : [];
  if (can(actor, permission, null)) return null;
  return actor.grants.flatMap((g) => (g.teamId && can(actor, permission, g.teamId) ? [g.teamId] : []));
}
