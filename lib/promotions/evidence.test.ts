import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { evidenceHash, evidenceOf, type EvidenceInput } from "./evidence";

const base: EvidenceInput = {
  versionId: "ver_7",
  policy: { defaultVersion: 3, modelVersion: 5 },
  holderVersionId: "ver_6",
  gates: [
    { id: "auc", status: "pass", evidence: ["rep_metrics"] },
    { id: "latency", status: "warn", evidence: ["rep_latency"] },
    { id: "fairness", status: "pass", evidence: ["rep_metrics", "rep_fairness"] },
  ],
};
const hash = evidenceHash(base);
const withGate = (id: string, change: Partial<EvidenceInput["gates"][number]>): EvidenceInput => ({
  ...base,
  gates: base.gates.map((g) => (g.id === id ? { ...g, ...change } : g)),
});

describe("evidence hash", () => {
  it("is a hex SHA-256 of the canonical evidence", () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash("sha256").update(JSON.stringify(evidenceOf(base))).digest("hex"));
    expect(evidenceHash(structuredClone(base))).toBe(hash);
  });

  it("lists each report once, sorted, and the gates by id with their status only", () => {
    expect(evidenceOf(base)).toEqual({
      versionId: "ver_7",
      policy: { default: 3, model: 5 },
      holderVersionId: "ver_6",
      reports: ["rep_fairness", "rep_latency", "rep_metrics"],
      gates: [
        { id: "auc", status: "pass" },
        { id: "fairness", status: "pass" },
        { id: "latency", status: "warn" },
      ],
    });
  });

  it.each<[string, EvidenceInput]>([
    ["gates reversed", { ...base, gates: [...base.gates].reverse() }],
    ["gates rotated", { ...base, gates: [base.gates[1], base.gates[2], base.gates[0]] }],
    ["report ids in another order", withGate("fairness", { evidence: ["rep_fairness", "rep_metrics"] })],
    ["a report listed twice", withGate("auc", { evidence: ["rep_metrics", "rep_metrics"] })],
    ["a shared report read by one gate only", withGate("auc", { evidence: [] })],
  ])("is the same with %s", (_name, input) => expect(evidenceHash(input)).toBe(hash));

  it.each<[string, EvidenceInput]>([
    ["another version", { ...base, versionId: "ver_8" }],
    ["a newer default policy", { ...base, policy: { ...base.policy, defaultVersion: 4 } }],
    ["a newer model policy", { ...base, policy: { ...base.policy, modelVersion: 6 } }],
    ["the two policy versions swapped", { ...base, policy: { defaultVersion: 5, modelVersion: 3 } }],
    ["another holder", { ...base, holderVersionId: "ver_5" }],
    ["no holder", { ...base, holderVersionId: null }],
    ["a holder literally named null", { ...base, holderVersionId: "null" }],
    ["a newer report", withGate("latency", { evidence: ["rep_latency_2"] })],
    ["an extra report", withGate("latency", { evidence: ["rep_latency", "rep_latency_2"] })],
    ["a report fewer", withGate("fairness", { evidence: ["rep_metrics"] })],
    ["a gate that now fails", withGate("auc", { status: "fail" })],
    ["a warning that now passes", withGate("latency", { status: "pass" })],
    ["a gate renamed", withGate("auc", { id: "roc-auc" })],
    ["a gate more", { ...base, gates: [...base.gates, { id: "drift", status: "pass", evidence: [] }] }],
    ["a gate fewer", { ...base, gates: base.gates.slice(1) }],
  ])("changes with %s", (_name, input) => expect(evidenceHash(input)).not.toBe(hash));

  it("does not change its input", () => {
    const input = structuredClone(base);
    evidenceHash(input);
    expect(input).toEqual(base);
  });
});
