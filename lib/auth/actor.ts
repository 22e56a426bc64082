import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { TOKEN_LAST_USED_RESOLUTION_MS } from "@/lib/serving/access.mjs";
import { authOptions } from "./options";
import { can, isRole, isScope, type Actor, type Permission } from "./permissions";
import { forbiddenMessage } from "./require";
import { hashToken, looksLikeToken } from "./secrets";


/** A signed-in user as an actor, with roles read from the database now (never from the session cookie). */
export async function loadUserActor(userId: string, sessionVersion?: number): Promise<Actor | null> {
  const user = await db.user.findUnique({ where: { id: userId }, include: { grants: true } });
  if (!user || !user.active) return null;
  if (sessionVersion !== undefined && user.sessionVersion !== sessionVersion) return null;
  return {
    kind: "user",
    userId: user.id,
    label: user.email,
    name: user.name,
    grants: user.grants.flatMap((g) => (isRole(g.role) ? [{ role: g.role, teamId: g.teamId }] : [])),
  };
}

/** Who a request is, and its API token's own rate limit (null: the default; always null for a browser session). */
export type Principal = { actor: Actor; rateLimitPerMinute: number | null };

async function principalFromToken(token: string): Promise<Principal | null> {
  if (!looksLikeToken(token)) return null;
  const row = await db.apiToken.findUnique({ where: { hash: hashToken(token) } });
  if (!row || row.revokedAt) return null;
  let actor: Actor | null;
  if (row.kind === "user" && row.userId) {
    const user = await loadUserActor(row.userId);
    actor = user && user.kind === "user" ? { ...user, tokenId: row.id } : null;
  } else {
    actor = { kind: "service", tokenId: row.id, label: `token:${row.name}`, scopes: row.scopes.filter(isScope) };
  }
  if (actor && (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOKEN_LAST_USED_RESOLUTION_MS)) {
    // Usage bookkeeping, not a governed change: no audit event.
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return actor && { actor, rateLimitPerMinute: row.rateLimitPerMinute };
}

export async function actorFromToken(token: string): Promise<Actor | null> {
  return (await principalFromToken(token))?.actor ?? null;
}

/** The browser session's actor, once per request. */
export const getSessionActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  return loadUserActor(id, session.user.sessionVersion);
});

/** For route handlers: a Bearer token if one is sent, else the browser session. */
export async function authenticateRequest(request: Request): Promise<Actor | null> {
  return (await authenticatePrincipal(request))?.actor ?? null;
}

/** As authenticateRequest, with the token's own rate limit for lib/api/with-api.ts. */
export async function authenticatePrincipal(request: Request): Promise<Principal | null> {
  const header = request.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) return null;
    return principalFromToken(m[1]);
  }
  const actor = await getSessionActor();
  return actor && { actor, rateLimitPerMinute: null };
}

/**
 * For pages: the actor if they hold `permission`, or the message to show instead. A browser whose session has
 * ended (deactivated, password reset, signed out elsewhere) is sent to sign in again.
 */
export async function checkPagePermission(
  permission: Permission,
  teamId?: string | null,
): Promise<{ ok: true; actor: Actor } | { ok: false; message: string }> {
  const actor = await getSessionActor();
  if (!actor) redirect("/signin");
  if (can(actor, permission, teamId)) return { ok: true, actor };
  return { ok: false, message: `${forbiddenMessage(actor, permission)} Ask a Gatehouse admin if you need it.` };
}
