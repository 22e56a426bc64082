import { createHash } from "node:crypto";
import { canonicalJson, hashEvent, type ChainedEvent } from "@/lib/audit/chain";
import { signatureHash, type Signature } from "./signature";

/**
 * Re-verifies an archived evidence bundle with nothing but the bundle: pure, so an auditor can run it years later
 * (`npm run gatehouse -- evidence verify bundle.json`) and docs/audit.md can describe it step by step.
 */
export const BUNDLE_FORMAT = "gatehouse-evidence-bundle/1";

export type BundleCore = {
  format: string;
  request: { id: string; evidenceHash: string; number?: number; model?: string; version?: number; stage?: string; justification?: string };
  decisions: { id: string; evidenceHash: string; signature: Signature | null; decision?: string; comment?: string; roles?: string[]; round?: number }[];
  aliasChange?: { fromVersion: number | null; toVersion: number | null } | null;
  auditEvents: ChainedEvent[];
  digest: string;
};
export type BundleCheck = { name: string; ok: boolean; detail: string };

/** The SHA-256 of the bundle's canonical JSON without its digest field: what `digest` must equal. */
export function bundleDigest(bundle: Record<string, unknown>): string {
  const { digest: _digest, ...rest } = bundle;
  return createHash("sha256").update(canonicalJson(rest), "utf8").digest("hex");
}

export function verifyEvidenceBundle(bundle: BundleCore): { ok: boolean; checks: BundleCheck[] } {
  // The file an auditor hands the CLI may be anything: a wrong file fails verification instead of crashing it.
  const shaped =
    Array.isArray(bundle?.auditEvents) &&
    Array.isArray(bundle?.decisions) &&
    typeof bundle?.digest === "string" &&
    bundle.auditEvents.every((e) => /^\d+$/.test(String(e?.id))) &&
    bundle.decisions.every((d) => d && typeof d === "object" && (d.signature === null || d.signature === undefined || typeof d.signature?.signer === "object"));
  if (!shaped) return { ok: false, checks: [{ name: "format", ok: false, detail: "not an evidence bundle: it needs auditEvents, decisions and digest" }] };
  const checks: BundleCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  check("format", bundle.format === BUNDLE_FORMAT, bundle.format === BUNDLE_FORMAT ? BUNDLE_FORMAT : `expected ${BUNDLE_FORMAT}, found ${String(bundle.format)}`);
  const digest = bundleDigest(bundle as unknown as Record<string, unknown>);
  // Anyone can recompute an unkeyed digest: it catches a damaged file, not a forger. The checks below tie the bundle
  // to the audit chain, which is what proves the record.
  check("digest", digest === bundle.digest, digest === bundle.digest ? "the file is intact (not damaged since it was generated)" : "the file changed after it was generated");

  // 1. Every audit event's hash recomputes from its content and the hash of the event before it.
  const events = [...bundle.auditEvents].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const badEvent = events.find((e) => {
    const { prevHash, hash, ...content } = e;
    return hashEvent(content, prevHash) !== hash;
  });
  check("audit events", !badEvent, badEvent ? `event ${badEvent.id} does not match its hash` : `${events.length} event hashes recompute`);
  // 2. Consecutive events link: the later one names the earlier one's hash.
  const badLink = events.find((e, i) => i > 0 && BigInt(e.id) === BigInt(events[i - 1].id) + 1n && e.prevHash !== events[i - 1].hash);
  check("chain links", !badLink, badLink ? `event ${badLink.id} does not follow event ${BigInt(badLink.id) - 1n}` : "consecutive events link");

  // 3. The request is the one the chain recorded: what was asked, by which justification.
  const asked = events.find((e) => e.action === "promotion.request");
  if (asked) {
    const after = (asked.after ?? {}) as { number?: number; model?: string; version?: number; stage?: string };
    const r = bundle.request;
    const same = asked.reason === r.justification && after.number === r.number && after.model === r.model && after.version === r.version && after.stage === r.stage;
    check("request", same, same ? "model, version, stage and justification are those the chain recorded" : "the request differs from what the chain recorded");
  }
  // 4. The alias move is the one the chain recorded.
  if (bundle.aliasChange) {
    const moved = events.find((e) => e.action === "alias.set" && (e.after as { version?: number } | null)?.version === bundle.aliasChange!.toVersion);
    const same = Boolean(moved) && (moved!.before as { version?: number | null } | null)?.version === bundle.aliasChange.fromVersion;
    check("alias change", same, same ? "the alias move is the one the chain recorded" : "the alias move differs from what the chain recorded");
  }

  // 5. Each decision is the one the chain recorded (what, by whom, why, on which evidence), with an intact signature.
  const decided = new Map(events.filter((e) => e.action === "promotion.decide").map((e) => [(e.after as { decisionId?: string } | null)?.decisionId, e]));
  for (const d of bundle.decisions) {
    const event = decided.get(d.id);
    const after = (event?.after ?? {}) as { evidenceHash?: string; decision?: string; roles?: string[]; round?: number };
    const bound =
      event !== undefined &&
      after.evidenceHash === d.evidenceHash &&
      (d.decision === undefined || d.decision === after.decision) &&
      (d.comment === undefined || d.comment.trim() === event.reason) &&
      (d.round === undefined || d.round === after.round) &&
      (d.roles === undefined || JSON.stringify(d.roles) === JSON.stringify(after.roles));
    check(`decision ${d.id}`, bound, bound ? "recorded in the audit chain as it reads here, on the same evidence" : "the audit chain does not record this decision as it reads here");
    if (d.signature) {
      const { hash, ...body } = d.signature;
      const intact = signatureHash(body) === hash && d.signature.evidenceHash === d.evidenceHash && (event?.after as { signature?: { hash?: string } } | undefined)?.signature?.hash === hash;
      check(`signature ${d.id}`, intact, intact ? `${d.signature.signer.name}, ${d.signature.meaning}, ${d.signature.signedAt}` : "the signature does not match what was signed and recorded");
    }
  }
  return { ok: checks.every((c) => c.ok), checks };
}
