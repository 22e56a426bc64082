import "server-only";
import type { Tx } from "@/lib/db";
import { eventTime } from "./aggregate";
import type { ItemProblem, MetricItem } from "./validate";

/**
 * Which versions of a model take live metrics now, and how late they may arrive: the holder of the alias a rollout
 * moves (champion when there is no rollout) and, during a rollout (running, paused, waiting, or watching after
 * completion), the rollout's champion and challenger. Metrics for any other version are refused, so a typo in
 * a pipeline's version number cannot skew a verdict.
 */

export const ACTIVE_ROLLOUT_STATUSES = ["running", "paused", "waiting", "watching"] as const;
/** Labels may arrive this late by default (a rollout's plan.lateLabelsMs can allow more, never less). */
export const DEFAULT_LATENESS_MS = 3_600_000;
/** Clock skew tolerated on the sender's side. */
export const MAX_FUTURE_MS = 5 * 60_000;

export type Acceptance = {
  model: string;
  /** The alias whose holder is accepted: the active rollout's alias, else champion. */
  alias: string;
  holder: { id: string; version: number } | null;
  rollout: { number: number; champion: { id: string; version: number } | null; challenger: { id: string; version: number } } | null;
  latenessMs: number;
};

/** How late a rollout's plan lets labels arrive: its lateLabelsMs when that is a number above the default. */
export function latenessOf(plan: unknown): number {
  const late = typeof plan === "object" && plan !== null ? (plan as { lateLabelsMs?: unknown }).lateLabelsMs : undefined;
  return typeof late === "number" && Number.isFinite(late) ? Math.max(DEFAULT_LATENESS_MS, late) : DEFAULT_LATENESS_MS;
}

export async function loadAcceptance(tx: Tx, model: { id: string; name: string }): Promise<Acceptance> {
  const rollout = await tx.rollout.findFirst({
    where: { modelId: model.id, status: { in: [...ACTIVE_ROLLOUT_STATUSES] } },
    select: { number: true, alias: true, championVersionId: true, championVersion: true, challengerVersionId: true, challengerVersion: true, plan: true },
    orderBy: { startedAt: "desc" },
  });
  // The champion by the same rule as the routing answer: the alias rollouts move (the latest rollout's), else @champion.
  const latest = rollout ?? (await tx.rollout.findFirst({ where: { modelId: model.id }, select: { alias: true }, orderBy: { startedAt: "desc" } }));
  const alias = latest?.alias ?? "champion";
  const held = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, select: { version: { select: { id: true, version: true } } } });
  return {
    model: model.name,
    alias,
    holder: held?.version ?? null,
    rollout: rollout && {
      number: rollout.number,
      champion: rollout.championVersionId && rollout.championVersion !== null ? { id: rollout.championVersionId, version: rollout.championVersion } : null,
      challenger: { id: rollout.challengerVersionId, version: rollout.challengerVersion },
    },
    latenessMs: latenessOf(rollout?.plan),
  };
}

/** Version number -> id of every accepted version. */
export function acceptedVersions(a: Acceptance): Map<number, string> {
  const out = new Map<number, string>();
  for (const v of [a.holder, a.rollout?.champion, a.rollout?.challenger]) if (v) out.set(v.version, v.id);
  return out;
}

/** Why `version` is refused, naming what is accepted. */
export function notAcceptedReason(version: number, a: Acceptance): string {
  if (a.rollout) {
    const champion = a.rollout.champion ? `champion v${a.rollout.champion.version}, ` : "";
    const holder = a.holder && ![a.rollout.champion?.version, a.rollout.challenger.version].includes(a.holder.version) ? `; @${a.alias} now v${a.holder.version}` : "";
    return `v${version} is not in ${a.model}'s rollout (${champion}challenger v${a.rollout.challenger.version}${holder})`;
  }
  if (a.holder) return `v${version} is not ${a.model}'s ${a.alias} (v${a.holder.version}) and there is no rollout; metrics are accepted for the ${a.alias} and, during a rollout, its challenger`;
  return `${a.model} has no ${a.alias} and no rollout, so no version of it accepts metrics yet`;
}

const duration = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} hour${ms === 3_600_000 ? "" : "s"}` : `${Math.round(ms / 60_000)} minutes`);

/** The items this model does not accept now (pure): versions outside the rollout, times too far ahead or too late. */
export function refusedItems(items: readonly MetricItem[], a: Acceptance, now: number): ItemProblem[] {
  const versions = acceptedVersions(a);
  const problems: ItemProblem[] = [];
  items.forEach((item, index) => {
    if (!versions.has(item.version)) {
      problems.push({ index, path: `items.${index}.version`, message: notAcceptedReason(item.version, a) });
      return;
    }
    const field = item.kind === "point" ? "timestamp" : "windowEnd";
    const t = eventTime(item);
    if (t > now + MAX_FUTURE_MS) {
      problems.push({ index, path: `items.${index}.${field}`, message: `${field} is ${duration(t - now)} ahead of the server's clock (${new Date(now).toISOString()}); at most ${duration(MAX_FUTURE_MS)} ahead is accepted` });
    } else if (t < now - a.latenessMs) {
      problems.push({ index, path: `items.${index}.${field}`, message: `${field} is more than ${duration(a.latenessMs)} old; metrics may arrive at most ${duration(a.latenessMs)} late${a.latenessMs > DEFAULT_LATENESS_MS ? " (the rollout plan's lateLabelsMs)" : ""}` });
    }
  });
  return problems;
}
