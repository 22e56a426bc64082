import { currentReports } from "@/lib/registry/rules";
import type { EffectiveGate, EffectivePolicy, EffectiveStage } from "../merge";
import type { GateType } from "../schema";

/** Everything a gate may look at. Plain data: gate evaluation is a pure function of it (and `now`). */
export type ReportInput = { id: string; kind: string; payload: unknown; createdAt: Date | string };
export type Column = { name: string; type: string; optional?: boolean };
export type VersionInput = {
  version: number;
  status: string;
  artifactUri: string;
  artifactChecksum: string;
  signature: { inputs: Column[]; outputs: Column[] } | null;
  commitSha: string | null;
  dataHash: string | null;
  featureSetVersion: string | null;
  environment: { imageDigest: string | null; lockfileHash: string | null; runtime: string | null; accelerator: string | null; resourceClass: string | null };
  reports: ReportInput[];
};
/** One move of an alias. `gatesPassed`: whether the move came from a request whose gates passed (null: unknown, e.g. set directly). */
export type AliasMove = { alias: string; fromVersion: number | null; toVersion: number | null; at: Date | string; gatesPassed: boolean | null };
export type GateContext = {
  model: { name: string; riskTier: string };
  policy: EffectivePolicy;
  stage: EffectiveStage;
  version: VersionInput;
  /** The version holding the stage's alias now, if any. */
  holder: VersionInput | null;
  aliases: Record<string, number>;
  history: AliasMove[];
  now: Date;
};

export type GateStatus = "pass" | "fail" | "warn" | "missing-evidence";
export type GateDetail = { label: string; value: string; status?: GateStatus };
export type GateResult = {
  id: string;
  type: GateType;
  status: GateStatus;
  /** One sentence a non-engineer approver understands. */
  summary: string;
  observed: Record<string, unknown> | null;
  threshold: Record<string, unknown> | null;
  /** Ids of the reports the gate used. */
  evidence: string[];
  details: GateDetail[];
  onFail: string | null;
  mandatory: boolean;
  source: "default" | "model";
};

export type Outcome = Omit<GateResult, "id" | "type" | "onFail" | "mandatory" | "source" | "details" | "evidence" | "observed" | "threshold"> &
  Partial<Pick<GateResult, "details" | "evidence" | "observed" | "threshold">>;

export function result(gate: EffectiveGate, o: Outcome): GateResult {
  return {
    id: gate.id,
    type: gate.type,
    status: o.status,
    summary: o.summary,
    observed: o.observed ?? null,
    threshold: o.threshold ?? null,
    evidence: o.evidence ?? [],
    details: o.details ?? [],
    onFail: o.status === "fail" || o.status === "missing-evidence" ? (gate.onFail ?? null) : null,
    mandatory: gate.mandatory,
    source: gate.source,
  };
}

/** The newest report of a kind (optionally also matching `where`). */
export function newest(version: VersionInput, kind: string, where?: (payload: Record<string, unknown>) => boolean): ReportInput | null {
  const matching = version.reports.filter((r) => r.kind === kind && (!where || where(r.payload as Record<string, unknown>)));
  return currentReports(matching)[0] ?? null;
}

/** Numbers as people read them: no float noise, four significant digits (whole numbers stay whole). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

export function list(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  const body = shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : body;
}

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The current holder as a sentence's subject: "The current @champion (v22)". */
export function holderName(ctx: GateContext): string {
  return ctx.holder ? `The current @${ctx.stage.alias} (v${ctx.holder.version})` : `@${ctx.stage.alias}`;
}

/** A value next to its limit, with enough digits that a breach never reads as "0.2 > 0.2". */
export function fmtAgainst(value: number, limit: number): string {
  for (let digits = 4; digits <= 12; digits++) {
    const v = String(Number(value.toPrecision(digits)));
    if (v !== String(Number(limit.toPrecision(digits))) || value === limit) return Number.isInteger(value) ? String(value) : v;
  }
  return String(value);
}

export function missingReport(kind: string, what: string): Outcome {
  return { status: "missing-evidence", summary: `No ${kind} report is attached to this version, so ${what} cannot be checked.` };
}
