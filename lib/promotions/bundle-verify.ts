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
  request: { id: string; evidenceHash: string };
  decisions: { id: string; evidenceHash: string; signature: Signature | null }[];
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
  const shaped = Array.isArray(bundle?.auditEvents) && Array.isArray(bundle?.decisions) && typeof bundle?.digest === "string" && bundle.auditEvents.every((e) => /^\d+$/.test(String(e?.id)));
  if (!shaped) return { ok: false, checks: [{ name: "format", ok: false, detail: "not an evidence bundle: it needs auditEvents, decisions and digest" }] };
  const checks: BundleCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  check("format", bundle.format === BUNDLE_FORMAT, bundle.format === BUNDLE_FORMAT ? BUNDLE_FORMAT : `expected ${BUNDLE_FORMAT}, found ${String(bundle.format)}`);
  const digest = bundleDigest(bundle as unknown as Record<string, unknown>);
  check("digest", digest === bundle.digest, digest === bundle.digest ? "the bundle is as it was generated" : "the bundle was changed after it was generated");

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

  // 3. Each decision is the one the chain recorded, bound to the same evidence, with an intact signature.
  const decided = new Map(events.filter((e) => e.action === "promotion.decide").map((e) => [(e.after as { decisionId?: string } | null)?.decisionId, e]));
  for (const d of bundle.decisions) {
    const event = decided.get(d.id);
    const bound = event && (event.after as { evidenceHash?: string }).evidenceHash === d.evidenceHash;
    check(`decision ${d.id}`, Boolean(bound), bound ? "recorded in the audit chain on the same evidence" : "no audit event records this decision on this evidence");
    if (d.signature) {
      const { hash, ...body } = d.signature;
      const intact = signatureHash(body) === hash && d.signature.evidenceHash === d.evidenceHash && (event?.after as { signature?: { hash?: string } } | undefined)?.signature?.hash === hash;
      check(`signature ${d.id}`, intact, intact ? `${d.signature.signer.name}, ${d.signature.meaning}, ${d.signature.signedAt}` : "the signature does not match what was signed and recorded");
    }
  }
  return { ok: checks.every((c) => c.ok), checks };
}
