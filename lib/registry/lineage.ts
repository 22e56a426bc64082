import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import { readableTeamIds } from "./access";
import { pageArgs, toPage, type Page } from "@/lib/pagination";
import { ZLineageQuery } from "./schemas";
import { reproducibility } from "./rules";

export type LineageHit = { id: string; model: string; version: number; status: string; aliases: string[]; commitSha: string | null; dataHash: string | null; reproducible: boolean; createdAt: string };

/** Reverse lineage: every version trained from a data snapshot hash or a commit, and which of them hold aliases now. */
export async function reverseLineage(opts: { actor: Actor | null; query: unknown }): Promise<Page<LineageHit>> {
  const actor = requirePermission(opts.actor, "registry.read");
  const q = ZLineageQuery.parse(opts.query);
  const teams = readableTeamIds(actor);
  const rows = await db.modelVersion.findMany({
    where: {
      ...(q.dataHash ? { dataHash: q.dataHash } : { commitSha: { startsWith: q.commit } }),
      ...(teams === null ? {} : { model: { teamId: { in: teams } } }),
    },
    include: { model: { select: { name: true } }, aliases: { select: { name: true } } },
    orderBy: [{ id: "desc" }],
    ...pageArgs("id", q.cursor, q.limit),
  });
  return toPage(
    rows.map((v) => ({
      model: v.model.name,
      version: v.version,
      status: v.status,
      aliases: v.aliases.map((a) => a.name).sort(),
      commitSha: v.commitSha,
      dataHash: v.dataHash,
      reproducible: reproducibility(v).reproducible,
      createdAt: v.createdAt.toISOString(),
      id: v.id,
    })),
    q.limit,
    (h) => h.id,
  );
}
