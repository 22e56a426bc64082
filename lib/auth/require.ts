import { forbidden, unauthorized } from "@/lib/api/errors";
import { PERMISSIONS, can, type Actor, type Permission } from "./permissions";

/** Throws 401 without an actor and 403 when the actor lacks `permission` (on `teamId`, when given). */
export function requirePermission(actor: Actor | null, permission: Permission, teamId?: string | null): Actor {
  if (!actor) throw unauthorized();
  if (!can(actor, permission, teamId)) throw forbidden(forbiddenMessage(actor, permission));
  return actor;
}

export function forbiddenMessage(actor: Actor, permission: Permission): string {
  const who = actor.kind === "service" ? "This token's scopes do not" : "Your roles do not";
  return `${who} allow "${permission}" (${PERMISSIONS[permission].description.toLowerCase()}).`;
}
