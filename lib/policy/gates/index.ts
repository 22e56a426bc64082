import { StatsInputError } from "@/lib/stats";
import { freezeStatus, type FreezeStatus } from "../freeze";
import type { EffectiveGate, EffectiveStage } from "../merge";
import type { Gate, GateOf } from "../schema";
import { result, type GateContext, type GateResult, type Outcome } from "./context";
import { driftGate, fairnessGate } from "./distribution";
import { dataValidationGate, metricGate, noRegressionGate, observabilityGate, reportFreshGate, securityGate, testsGate } from "./evidence";
import { environmentGate, lineageGate, rollbackGate, signatureGate, stageOrderGate } from "./provenance";

export type { AliasMove, GateContext, GateResult, GateStatus, ReportInput, VersionInput } from "./context";

type Evaluator<T extends Gate["type"]> = (g: GateOf<T>, ctx: GateContext) => Outcome;
const EVALUATORS: { [T in Gate["type"]]: Evaluator<T> } = {
  metric: metricGate,
  "no-regression": noRegressionGate,
  "tests-passed": testsGate,
  "signature-compatible": signatureGate,
  "data-validation": dataValidationGate,
  drift: driftGate,
  fairness: fairnessGate,
  "security-scan": securityGate,
  "observability-ready": observabilityGate,
  "environment-parity": environmentGate,
  lineage: lineageGate,
  "rollback-ready": rollbackGate,
  "stage-order": stageOrderGate,
  "report-fresh": reportFreshGate,
};

/** One gate's verdict. Pure: the same context always gives the same result. */
export function evaluateGate(gate: EffectiveGate, ctx: GateContext): GateResult {
  const evaluate = EVALUATORS[gate.type] as Evaluator<typeof gate.type>;
  try {
    return result(gate, evaluate(gate as never, ctx));
  } catch (e) {
    // Reports are validated when attached, so this is evidence the statistics cannot use (e.g. one value per sample).
    if (e instanceof StatsInputError) return result(gate, { status: "missing-evidence", summary: `The evidence could not be evaluated: ${e.message}.` });
    throw e;
  }
}

export type StageReadiness = {
  stage: string;
  alias: string;
  /** ready: every gate passes or warns and no freeze applies; blocked otherwise. */
  status: "ready" | "blocked";
  summary: string;
  results: GateResult[];
  counts: Record<GateResult["status"], number>;
  freeze: FreezeStatus;
  holder: number | null;
};

/** Whether the context's version may move to the context's stage: every gate, and the freeze windows for the last stage. */
export function evaluateStage(ctx: GateContext): StageReadiness {
  const results = ctx.stage.gates.map((g) => evaluateGate(g, ctx));
  const counts = { pass: 0, fail: 0, warn: 0, "missing-evidence": 0 };
  for (const r of results) counts[r.status]++;
  const isLast = ctx.policy.stages.at(-1)?.name === ctx.stage.name;
  const freeze = isLast ? freezeStatus(ctx.policy.freeze, ctx.now) : ({ frozen: false } as const);
  const blocked = counts.fail > 0 || counts["missing-evidence"] > 0 || freeze.frozen;
  return { stage: ctx.stage.name, alias: ctx.stage.alias, status: blocked ? "blocked" : "ready", summary: readinessSummary(ctx.version.version, ctx.stage, counts, freeze), results, counts, freeze, holder: ctx.holder?.version ?? null };
}

function readinessSummary(version: number, stage: EffectiveStage, counts: Record<GateResult["status"], number>, freeze: FreezeStatus): string {
  const total = counts.pass + counts.fail + counts.warn + counts["missing-evidence"];
  const problems = [counts.fail ? `${counts.fail} failing` : null, counts["missing-evidence"] ? `${counts["missing-evidence"]} missing evidence` : null].filter(Boolean).join(" and ");
  if (problems) return `v${version} cannot move to ${stage.name} yet: ${problems} of ${total} gate${total === 1 ? "" : "s"}.`;
  if (freeze.frozen) return `v${version} passes every gate for ${stage.name}, but ${freeze.summary.charAt(0).toLowerCase()}${freeze.summary.slice(1)}`;
  if (total === 0) return `${stage.name} has no gates; v${version} may move there once approved.`;
  return `v${version} passes all ${total} gate${total === 1 ? "" : "s"} for ${stage.name}${counts.warn ? ` (${counts.warn} with a warning)` : ""}.`;
}
