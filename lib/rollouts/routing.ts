import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { findReadableModel } from "@/lib/registry/models";
import { aliasEtag } from "@/lib/serving/alias-view.mjs";
import { routingQuery, routingView, type RoutingView } from "@/lib/serving/routing-view.mjs";

/** How the serving layer should split a model's traffic now, with a strong ETag of exactly that answer. */
export async function resolveRouting(opts: { actor: Actor | null; model: string }): Promise<{ view: RoutingView; etag: string }> {
  const permission = opts.actor && can(opts.actor, "serving.read") ? "serving.read" : "registry.read";
  const model = await findReadableModel(db, opts.actor, opts.model, permission);
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(routingQuery(true), model.id);
  const view = routingView(rows[0]);
  return { view, etag: aliasEtag(view) };
}
