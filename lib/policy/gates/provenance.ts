import { reproducibility } from "@/lib/registry/rules";
import { DEVELOPMENT } from "../merge";
import { ENVIRONMENT_FIELDS, type GateOf } from "../schema";
import { holderName, list, type GateContext, type GateDetail, type Outcome } from "./context";

/** Gates about where a version came from and what it replaces: schema, environment, lineage, rollback, stage order. */

/** The new input schema accepts every request the holder's accepts: no new required input, no changed type. */
export function signatureGate(_g: GateOf<"signature-compatible">, ctx: GateContext): Outcome {
  if (!ctx.version.signature) return { status: "missing-evidence", summary: "This version was registered without an input schema, so compatibility with what callers send cannot be checked." };
  if (!ctx.holder) return { status: "pass", summary: `Nothing holds @${ctx.stage.alias} yet, so there are no existing callers to stay compatible with.` };
  if (ctx.holder.version === ctx.version.version) return { status: "pass", summary: `This version already holds @${ctx.stage.alias}.` };
  if (!ctx.holder.signature) return { status: "warn", summary: `${holderName(ctx)} has no recorded input schema, so compatibility cannot be confirmed.` };
  const old = new Map(ctx.holder.signature.inputs.map((c) => [c.name, c]));
  const problems: GateDetail[] = [];
  for (const c of ctx.version.signature.inputs) {
    const before = old.get(c.name);
    if (!before && !c.optional) problems.push({ label: c.name, value: `new required input (${c.type}) that callers of v${ctx.holder.version} do not send`, status: "fail" });
    else if (before && before.type !== c.type) problems.push({ label: c.name, value: `type changes from ${before.type} to ${c.type}`, status: "fail" });
    else if (before?.optional && !c.optional) problems.push({ label: c.name, value: "was optional, is now required", status: "fail" });
  }
  const evidence = { observed: { inputs: ctx.version.signature.inputs.length, holderInputs: ctx.holder.signature.inputs.length }, details: problems };
  if (problems.length) return { ...evidence, status: "fail", summary: `The input schema is not compatible with v${ctx.holder.version}'s: ${list(problems.map((p) => `${p.label} (${p.value})`), 3)}.` };
  return { ...evidence, status: "pass", summary: `The input schema accepts everything v${ctx.holder.version}'s does.` };
}

const FIELD_LABELS: Record<(typeof ENVIRONMENT_FIELDS)[number], string> = { imageDigest: "image digest", lockfileHash: "lockfile hash", runtime: "runtime", accelerator: "accelerator", resourceClass: "resource class" };

/** The version's environment manifest against the stage's declared environment, or the current holder's. */
export function environmentGate(g: GateOf<"environment-parity">, ctx: GateContext): Outcome {
  const against = g.against ?? (ctx.stage.environment ? "stage" : "holder");
  let expected: Partial<Record<(typeof ENVIRONMENT_FIELDS)[number], string | null>>;
  let where: string;
  if (against === "stage") {
    if (!ctx.stage.environment) return { status: "missing-evidence", summary: `The policy compares against ${ctx.stage.name}'s declared environment, but the stage declares none.` };
    expected = ctx.stage.environment;
    where = `${ctx.stage.name}'s declared environment`;
  } else {
    if (!ctx.holder) return { status: "pass", summary: `Nothing holds @${ctx.stage.alias} yet, so there is no running environment to match.` };
    expected = ctx.holder.environment;
    where = `v${ctx.holder.version} (@${ctx.stage.alias})`;
  }
  const fields = g.fields ?? (against === "stage" ? (Object.keys(expected) as (typeof ENVIRONMENT_FIELDS)[number][]) : (["runtime", "accelerator", "resourceClass"] as const));
  const details: GateDetail[] = [];
  const unrecorded: string[] = [];
  for (const f of fields) {
    const want = expected[f] ?? null;
    const have = ctx.version.environment[f];
    if (have === null) unrecorded.push(FIELD_LABELS[f]);
    const same = have === want;
    details.push({ label: FIELD_LABELS[f], value: same ? (have ?? "not recorded") : `${have ?? "not recorded"} here, ${want ?? "not recorded"} in ${where}`, status: same ? "pass" : have === null ? "missing-evidence" : "fail" });
  }
  const differences = details.filter((d) => d.status === "fail");
  const base = { observed: ctx.version.environment, threshold: { against, ...expected }, details };
  if (differences.length) return { ...base, status: "fail", summary: `The environment differs from ${where}: ${list(differences.map((d) => `${d.label} is ${d.value}`), 3)}.` };
  if (unrecorded.length) return { ...base, status: "missing-evidence", summary: `This version does not record its ${list(unrecorded)}, so it cannot be compared with ${where}.` };
  return { ...base, status: "pass", summary: `The environment matches ${where} (${list(fields.map((f) => FIELD_LABELS[f]))}).` };
}

/** The registry's one definition of reproducible: commit, data snapshot hash and feature set version all known. */
export function lineageGate(_g: GateOf<"lineage">, ctx: GateContext): Outcome {
  const r = reproducibility(ctx.version);
  const observed = { commitSha: ctx.version.commitSha, dataHash: ctx.version.dataHash, featureSetVersion: ctx.version.featureSetVersion };
  if (!r.reproducible) return { status: "fail", observed, summary: `The lineage is incomplete: the ${list(r.missing)} ${r.missing.length === 1 ? "is" : "are"} missing, so this version could not be reproduced.` };
  return { status: "pass", observed, summary: "The code commit, data snapshot hash and feature set version are all recorded, so this version can be reproduced." };
}

/** Rolling back means repointing the alias to the current holder: it must still be registered, ready and checksummed. */
export function rollbackGate(_g: GateOf<"rollback-ready">, ctx: GateContext): Outcome {
  const h = ctx.holder;
  if (!h) return { status: "pass", summary: `Nothing holds @${ctx.stage.alias} yet; rolling back would mean removing the alias again.` };
  if (h.version === ctx.version.version) return { status: "pass", summary: `This version already holds @${ctx.stage.alias}.` };
  const observed = { version: h.version, status: h.status, artifactUri: h.artifactUri, checksum: h.artifactChecksum };
  if (h.status !== "ready") return { status: "fail", observed, summary: `${holderName(ctx)} is ${h.status}, so Gatehouse could not roll back to it if this version misbehaves.` };
  if (!h.artifactChecksum) return { status: "fail", observed, summary: `${holderName(ctx)} has no artifact checksum, so a rollback could not be verified.` };
  return { status: "pass", observed, summary: `If needed, @${ctx.stage.alias} can roll back to v${h.version} (${h.artifactUri}).` };
}

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

/** The version must hold (or have held, having passed that stage's gates) the stage before this one. */
export function stageOrderGate(g: GateOf<"stage-order">, ctx: GateContext): Outcome {
  const required = g.stage ?? ctx.stage.previous ?? DEVELOPMENT;
  if (required === DEVELOPMENT) return { status: "pass", summary: "Every registered version starts in development, so no earlier stage is required." };
  const stage = ctx.policy.stages.find((s) => s.name === required);
  if (!stage) return { status: "fail", summary: `The policy requires stage ${required} first, but there is no such stage.` };
  const v = ctx.version.version;
  const exception = (g.exceptions ?? []).find((e) => e.versions.includes(v));
  if (exception) return { status: "pass", summary: `v${v} is exempt from reaching ${required} first: ${exception.reason}`, threshold: { requires: g.requires, stage: required } };
  const threshold = { requires: g.requires, stage: required, alias: stage.alias };
  const holdsNow = ctx.aliases[stage.alias] === v;
  if (g.requires === "holds-now") {
    if (holdsNow) return { status: "pass", threshold, summary: `v${v} holds @${stage.alias} now, as the policy requires.` };
    const other = ctx.aliases[stage.alias];
    return { status: "fail", threshold, summary: `v${v} must hold @${stage.alias} now; ${other ? `@${stage.alias} holds v${other}` : `nothing holds @${stage.alias}`}.` };
  }
  const holds = ctx.history.filter((h) => h.alias === stage.alias && h.toVersion === v);
  if (!holds.length && !holdsNow) return { status: "fail", threshold, summary: `v${v} has never held @${stage.alias}; promote it to ${required} first.` };
  const passed = holds.find((h) => h.gatesPassed === true);
  if (passed) return { status: "pass", threshold, summary: `v${v} held @${stage.alias} from ${day(passed.at)} and passed the ${required} gates then.` };
  if (holds.length && holds.every((h) => h.gatesPassed === false)) return { status: "fail", threshold, summary: `v${v} held @${stage.alias}, but did not pass the ${required} gates when it moved there.` };
  const first = holds[0];
  return { status: "warn", threshold, summary: `v${v} has held @${stage.alias}${first ? ` (since ${day(first.at)})` : ""}, but it was set directly rather than through a promotion request, so there is no record that it passed the ${required} gates.` };
}
