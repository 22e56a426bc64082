import "server-only";
import { badRequest, notFound } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db";
import { pageArgs, toPage, type Page } from "@/lib/pagination";
import { requirePermission } from "./require";
import type { Actor } from "./permissions";
import { ZCreateTokenInput, ZReason, type TCreateTokenInput } from "./schemas";
import { generateToken, hashToken, tokenDisplayPrefix } from "./secrets";

export type TokenView = {
  id: string;
  name: string;
  kind: "user" | "service";
  user: { id: string; email: string } | null;
  scopes: string[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Its own requests a minute; null: the server's default. */
  rateLimitPerMinute: number | null;
};

type TokenRow = Awaited<ReturnType<typeof db.apiToken.findFirstOrThrow<{ include: { user: true } }>>>;

function toView(t: TokenRow): TokenView {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind === "user" ? "user" : "service",
    user: t.user && { id: t.user.id, email: t.user.email },
    scopes: t.scopes,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    rateLimitPerMinute: t.rateLimitPerMinute,
  };
}

export async function listTokens(opts: { actor: Actor | null; cursor?: string; limit: number; includeRevoked?: boolean }): Promise<Page<TokenView>> {
  requirePermission(opts.actor, "tokens.manage");
  const rows = await db.apiToken.findMany({
    where: opts.includeRevoked ? {} : { revokedAt: null },
    orderBy: { id: "desc" },
    include: { user: true },
    ...pageArgs("id", opts.cursor, opts.limit),
  });
  return toPage(rows.map(toView), opts.limit, (t) => t.id);
}

/** Creates a token and returns its secret, which is never shown again (only its hash is stored). */
export async function createToken(opts: { actor: Actor | null; input: TCreateTokenInput }): Promise<{ token: TokenView; secret: string }> {
  const actor = requirePermission(opts.actor, "tokens.manage");
  const input = ZCreateTokenInput.parse(opts.input);
  const secret = generateToken();
  return transaction(async (tx) => {
    let userId: string | null = null;
    if (input.kind === "user") {
      const user = await tx.user.findUnique({ where: { email: input.userEmail } });
      if (!user) throw badRequest(`No user with email ${input.userEmail}`, [{ path: "userEmail", message: "No such user" }]);
      if (!user.active) throw badRequest(`${user.email} is deactivated`, [{ path: "userEmail", message: "User is deactivated" }]);
      userId = user.id;
    }
    const row = await tx.apiToken.create({
      data: { name: input.name, kind: input.kind, userId, scopes: input.scopes, rateLimitPerMinute: input.rateLimitPerMinute ?? null, prefix: tokenDisplayPrefix(secret), hash: hashToken(secret) },
      include: { user: true },
    });
    const token = toView(row);
    await recordAuditEvent(tx, {
      actor,
      action: "token.create",
      target: { type: "token", id: row.id },
      after: { name: token.name, kind: token.kind, user: token.user?.email ?? null, scopes: token.scopes, prefix: token.prefix, rateLimitPerMinute: token.rateLimitPerMinute },
      reason: input.reason,
    });
    return { token, secret };
  });
}

export async function revokeToken(opts: { actor: Actor | null; id: string; reason?: string }): Promise<TokenView> {
  const actor = requirePermission(opts.actor, "tokens.manage");
  const reason = ZReason.parse(opts.reason);
  return transaction(async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id: opts.id } });
    if (!before) throw notFound(`No token with id "${opts.id}"`);
    if (before.revokedAt) return toView(await tx.apiToken.findUniqueOrThrow({ where: { id: opts.id }, include: { user: true } }));
    const row = await tx.apiToken.update({ where: { id: opts.id }, data: { revokedAt: new Date() }, include: { user: true } });
    await recordAuditEvent(tx, {
      actor,
      action: "token.revoke",
      target: { type: "token", id: row.id },
      before: { revokedAt: null },
      after: { revokedAt: row.revokedAt?.toISOString() },
      reason,
    });
    return toView(row);
  });
}
