import { createHash } from "node:crypto";

/**
 * What an approval is an approval *of*: the version, the policy versions that judged it, the alias's holder at the
 * time, the reports the gates read and each gate's verdict. When any of these changes the hash changes, and earlier
 * approvals become stale. Canonical (sorted) so the same evidence always hashes the same.
 */
export type EvidenceInput = {
  versionId: string;
  policy: { defaultVersion: number; modelVersion: number };
  holderVersionId: string | null;
  gates: readonly { id: string; status: string; evidence: readonly string[] }[];
};

export function evidenceOf(input: EvidenceInput) {
  const gates = [...input.gates].map((g) => ({ id: g.id, status: g.status })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const reports = [...new Set(input.gates.flatMap((g) => g.evidence))].sort();
  return { versionId: input.versionId, policy: { default: input.policy.defaultVersion, model: input.policy.modelVersion }, holderVersionId: input.holderVersionId, reports, gates };
}

export function evidenceHash(input: EvidenceInput): string {
  return createHash("sha256").update(JSON.stringify(evidenceOf(input))).digest("hex");
}
