import { describe, expect, it } from "vitest";
import { chainEvent, type AuditContent, type ChainedEvent } from "@/lib/audit/chain";
import { BUNDLE_FORMAT, bundleDigest, verifyEvidenceBundle, type BundleCore } from "./bundle-verify";
import { signDecision } from "./signature";

// An archived evidence bundle must re-verify with nothing but itself, and every kind of after-the-fact edit must be
// caught by the check that names it. The bundle here is built by hand the way evidence-bundle.ts builds one.
const REQUEST_ID = "req_7";
const EVIDENCE = "e".repeat(64);
const OTHER_EVIDENCE = "d".repeat(64);
const COMMENT = "Checked the metrics, lineage and tests; all good.";
const signature = signDecision({
  signer: { id: "u_lead", name: "Lee Lead", email: "lead@example.com" },
  decision: "approve",
  request: { id: REQUEST_ID, number: 7, model: "fraud", version: 3, stage: "production", alias: "champion" },
  evidenceHash: EVIDENCE,
  signedAt: new Date("2026-11-22T09:30:00.000Z"),
});

const content = (id: number, over: Partial<AuditContent>): AuditContent => ({
  id: String(id),
  occurredAt: `2026-11-22T09:${String(id).padStart(2, "0")}:00.000Z`,
  actorType: "user",
  actorId: "u_lead",
  actorLabel: "lead@example.com",
  action: "promotion.request",
  targetType: "promotion",
  targetId: REQUEST_ID,
  teamId: "team_payments",
  before: null,
  after: null,
  reason: null,
  ...over,
});

/** Events 41 to 45 of a longer chain (40 is not the request's, so it is not in the bundle), then 50 on its own. */
function chain(): ChainedEvent[] {
  const contents = [
    content(41, { actorId: "u_eng", actorLabel: "eng@example.com", after: { number: 7, model: "fraud", version: 3, stage: "production", status: "awaiting-approval" }, reason: "Retrained on October data." }),
    content(42, { action: "promotion.decide", after: { decisionId: "dec_1", decision: "approve", roles: ["ml-lead"], round: 1, evidenceHash: EVIDENCE, signature: { meaning: signature.meaning, hash: signature.hash } }, reason: COMMENT }),
    content(43, { action: "promotion.approved", before: { status: "awaiting-approval" }, after: { status: "approved" } }),
    content(44, { action: "alias.set", targetType: "alias", targetId: "fraud@champion", before: { version: 2 }, after: { version: 3, via: "promotion", requestId: REQUEST_ID }, reason: "Promotion #7: Retrained on October data." }),
    content(45, { action: "promotion.applied", before: { status: "approved" }, after: { status: "applied", alias: "fraud@champion", version: 3 } }),
  ];
  const out: ChainedEvent[] = [];
  let prev = "a".repeat(64); // the hash of event 40
  for (const c of contents) {
    const e = chainEvent(c, prev);
    out.push(e);
    prev = e.hash;
  }
  out.push(chainEvent(content(50, { action: "promotion.rolled-back", after: { status: "rolled-back" }, reason: "Error rate doubled." }), "b".repeat(64)));
  return out;
}

type Bundle = BundleCore & Record<string, unknown> & { decisions: (BundleCore["decisions"][number] & Record<string, unknown>)[] };

function makeBundle(): Bundle {
  const body = {
    format: BUNDLE_FORMAT,
    generatedAt: "2026-11-22T10:00:00.000Z",
    request: { id: REQUEST_ID, number: 7, model: "fraud", version: 3, stage: "production", alias: "champion", evidenceHash: EVIDENCE, justification: "Retrained on October data." },
    decisions: [{ id: "dec_1", user: "lead@example.com", decision: "approve", comment: COMMENT, roles: ["ml-lead"], round: 1, evidenceHash: EVIDENCE, signature }],
    aliasChange: { alias: "fraud@champion", fromVersion: 2, toVersion: 3, via: "promotion" },
    auditEvents: chain(),
  };
  return { ...body, digest: bundleDigest(body) } as Bundle;
}

/** Applies an edit to a fresh copy; `redigest` re-seals it as a forger would, so only the deeper checks can catch it. */
function tampered(edit: (b: Bundle) => void, redigest = true): Bundle {
  const b = structuredClone(makeBundle());
  edit(b);
  if (redigest) b.digest = bundleDigest(b);
  return b;
}
const eventById = (b: Bundle, id: number) => b.auditEvents.find((e) => e.id === String(id))!;
const failing = (b: BundleCore) => verifyEvidenceBundle(b).checks.filter((c) => !c.ok).map((c) => c.name);

describe("verifyEvidenceBundle", () => {
  it("passes an untouched bundle, naming every check", () => {
    const result = verifyEvidenceBundle(makeBundle());
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual(["format", "digest", "audit events", "chain links", "request", "alias change", "decision dec_1", "signature dec_1"]);
    expect(result.checks.find((c) => c.name === "signature dec_1")?.detail).toBe("Lee Lead, approved, 2026-11-22T09:30:00.000Z");
  });

  it("passes the bundle after a JSON round trip (what an archived file is)", () => {
    const archived = JSON.parse(JSON.stringify(makeBundle(), null, 2)) as Bundle;
    expect(verifyEvidenceBundle(archived)).toMatchObject({ ok: true });
    expect(bundleDigest(archived)).toBe(makeBundle().digest);
  });

  it.each<[string, (b: Bundle) => void, boolean, string[]]>([
    ["a decision's comment edited", (b) => (b.decisions[0].comment = "Looked fine to me."), false, ["digest", "decision dec_1"]],
    ["the request's justification edited", (b) => ((b.request as Record<string, unknown>).justification = "Because."), false, ["digest", "request"]],
    ["a decision's comment edited, digest recomputed", (b) => (b.decisions[0].comment = "Looked fine to me."), true, ["decision dec_1"]],
    ["a rejection turned into an approval, digest recomputed", (b) => (b.decisions[0].decision = "reject"), true, ["decision dec_1"]],
    ["the request's justification edited, digest recomputed", (b) => ((b.request as Record<string, unknown>).justification = "Because."), true, ["request"]],
    ["the alias move edited, digest recomputed", (b) => ((b.aliasChange as { toVersion: number }).toVersion = 2), true, ["alias change"]],
    ["the digest itself replaced", (b) => (b.digest = "0".repeat(64)), false, ["digest"]],
    ["an audit event's reason edited, digest recomputed", (b) => (eventById(b, 42).reason = "Looked fine to me."), true, ["audit events", "decision dec_1"]],
    ["an audit event's actor edited, digest recomputed", (b) => (eventById(b, 41).actorLabel = "someone-else@example.com"), true, ["audit events"]],
    ["a prevHash edited without rehashing, digest recomputed", (b) => (eventById(b, 44).prevHash = "c".repeat(64)), true, ["audit events", "chain links"]],
    [
      "an event re-hashed onto a different predecessor (a forged link), digest recomputed",
      (b) => {
        const i = b.auditEvents.findIndex((e) => e.id === "44");
        const { prevHash: _p, hash: _h, ...c } = b.auditEvents[i];
        b.auditEvents[i] = chainEvent(c, "c".repeat(64));
      },
      true,
      ["chain links"],
    ],
    ["the signature's statement edited, digest recomputed", (b) => (b.decisions[0].signature!.statement = b.decisions[0].signature!.statement.replace("approve", "reject")), true, ["signature dec_1"]],
    [
      "the signature's statement edited and its hash recomputed (no longer the one the chain recorded)",
      (b) => {
        const s = b.decisions[0].signature!;
        const forged = signDecision({ signer: s.signer, decision: "approve", request: { id: REQUEST_ID, number: 8, model: "fraud", version: 3, stage: "production", alias: "champion" }, evidenceHash: EVIDENCE, signedAt: new Date(s.signedAt) });
        b.decisions[0].signature = forged;
      },
      true,
      ["signature dec_1"],
    ],
    ["the signer's name edited, digest recomputed", (b) => (b.decisions[0].signature!.signer.name = "Somebody Else"), true, ["signature dec_1"]],
    ["a decision on different evidence than its audit event, digest recomputed", (b) => (b.decisions[0].evidenceHash = OTHER_EVIDENCE), true, ["decision dec_1", "signature dec_1"]],
    ["a decision the chain never recorded, digest recomputed", (b) => (b.decisions[0].id = "dec_forged"), true, ["decision dec_forged", "signature dec_forged"]],
    ["the decision's audit event removed, digest recomputed", (b) => (b.auditEvents = b.auditEvents.filter((e) => e.id !== "42")), true, ["decision dec_1", "signature dec_1"]],
    ["a wrong format, digest recomputed", (b) => (b.format = "gatehouse-evidence-bundle/0"), true, ["format"]],
  ])("catches %s", (_name, edit, redigest, expected) => {
    const b = tampered(edit, redigest);
    expect(verifyEvidenceBundle(b).ok).toBe(false);
    expect(failing(b)).toEqual(expected);
    // An archived copy fails the same way.
    expect(failing(JSON.parse(JSON.stringify(b)))).toEqual(expected);
  });

  it.each<[string, (b: Bundle) => void]>([
    ["a middle event removed (the request's events need not be contiguous)", (b) => (b.auditEvents = b.auditEvents.filter((e) => e.id !== "43"))],
    ["the events listed in another order", (b) => b.auditEvents.reverse()],
    ["a decision without an electronic signature", (b) => (b.decisions[0].signature = null)],
  ])("is not fooled into failing by %s (digest recomputed)", (_name, edit) => {
    const b = tampered(edit);
    expect(failing(b)).toEqual([]);
    expect(verifyEvidenceBundle(b).ok).toBe(true);
  });

  it.each<[string, unknown]>([
    ["an empty object", {}],
    ["another JSON document", { hello: "world" }],
    ["a bundle without its audit events", (() => { const { auditEvents: _e, ...rest } = makeBundle(); return rest; })()],
    ["a decision event whose after was blanked", tampered((b) => (eventById(b, 42).after = null))],
    ["an event whose id is not a number", tampered((b) => (eventById(b, 41).id = "forty-one"))],
  ])("fails, rather than throwing, on %s", (_name, doc) => {
    let result: ReturnType<typeof verifyEvidenceBundle> | undefined;
    expect(() => (result = verifyEvidenceBundle(doc as BundleCore))).not.toThrow();
    expect(result?.ok).toBe(false);
  });
});
