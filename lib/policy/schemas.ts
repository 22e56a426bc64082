import { z } from "zod";
import { requiredText } from "@/lib/text";
import { MAX_POLICY_CHARS } from "./limits";

/** API and form inputs for policies (the policy document's own schema is in schema.ts). */
export const ZPolicyText = z.string({ error: "document is the policy's YAML text" }).max(MAX_POLICY_CHARS, `A policy is at most ${MAX_POLICY_CHARS.toLocaleString("en")} characters`);

export const ZPutPolicyInput = z.object({
  document: ZPolicyText,
  comment: requiredText("Say why the policy changes (the comment is kept with this version and in the audit log)", 2_000),
  expectedVersion: z.number().int().min(0).optional().describe("The version you edited; the save is refused if someone saved another since"),
});
export type TPutPolicyInput = z.input<typeof ZPutPolicyInput>;

export const ZValidatePolicyInput = z.object({
  document: ZPolicyText,
  model: z.string().max(128).optional().describe("Validate as this model's policy (against the organisation default); leave out for the default"),
});

export const ZPolicyVersionQuery = z.object({ version: z.coerce.number().int().min(0).max(1_000_000).optional() });

export const ZGatesQuery = z.object({ stage: z.string({ error: "Name the target stage, e.g. ?stage=production" }).min(1, "Name the target stage, e.g. ?stage=production").max(40) });
