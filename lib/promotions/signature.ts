import { createHash } from "node:crypto";

/**
 * An electronic signature on a decision, in the manner of 21 CFR Part 11 §11.50: the signer's printed name, when,
 * and the meaning of the signature, bound to the evidence it was given on. The hash lets an auditor check later
 * that none of these were altered.
 */
export type SignatureInput = {
  signer: { id: string; name: string; email: string };
  decision: "approve" | "reject" | "request-changes";
  request: { id: string; number: number; model: string; version: number; stage: string; alias: string };
  evidenceHash: string;
  signedAt: Date;
};
export type Signature = {
  signer: { id: string; name: string; email: string };
  meaning: "approved" | "rejected" | "changes requested";
  statement: string;
  signedAt: string;
  requestId: string;
  evidenceHash: string;
  method: "password re-entry";
  hash: string;
};

export const MEANINGS = { approve: "approved", reject: "rejected", "request-changes": "changes requested" } as const;

export function signDecision(input: SignatureInput): Signature {
  const meaning = MEANINGS[input.decision];
  const r = input.request;
  const verb = input.decision === "approve" ? "approve" : input.decision === "reject" ? "reject" : "request changes to";
  const statement = `I, ${input.signer.name} <${input.signer.email}>, ${verb} promotion request #${r.number}: ${r.model} v${r.version} to ${r.stage} (@${r.alias}), on evidence ${input.evidenceHash.slice(0, 12)}.`;
  const body = { signer: input.signer, meaning, statement, signedAt: input.signedAt.toISOString(), requestId: r.id, evidenceHash: input.evidenceHash, method: "password re-entry" as const };
  return { ...body, hash: signatureHash(body) };
}

/** Recomputes a stored signature's hash (an auditor's check). */
export function signatureHash(body: Omit<Signature, "hash">): string {
  const canonical = JSON.stringify([body.signer.id, body.signer.name, body.signer.email, body.meaning, body.statement, body.signedAt, body.requestId, body.evidenceHash, body.method]);
  return createHash("sha256").update(canonical).digest("hex");
}
