import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";
import { ZCommentInput, ZDecisionInput, ZRequestPromotionInput } from "@/lib/promotions/schemas";
import { requiredText } from "@/lib/text";
import { RANGE_HINT, parseRange } from "./rules";
import { MAX_MEMBERS, MIN_MEMBERS, RELEASE_STATUSES } from "./state";

/** API and form inputs for coordinated releases. */

const ModelName = z.string({ error: "Name the model" }).min(1, "Name the model").max(128);

export const ZReleaseMember = ZRequestPromotionInput.pick({ model: true, version: true, stage: true });

export const ZReleaseRule = z
  .strictObject(
    {
      model: ModelName.describe("The model that needs another (a member of the release)"),
      version: z.number({ error: "version is a version number" }).int("version must be a whole number").positive().max(2_147_483_647).optional().describe("Only for this version of model"),
      requires: ModelName.describe("The model it needs"),
      versions: z.string({ error: RANGE_HINT }).max(100).refine((r) => parseRange(r) !== null, `versions is ${RANGE_HINT}`).optional(),
      signature: z.boolean({ error: "signature is true or false" }).optional().describe("model's inputs accept every output of requires (same names and types)"),
      sameFeatureSet: z.boolean({ error: "sameFeatureSet is true or false" }).optional().describe("Both trained on the same feature set, from their lineage"),
    },
    { error: (iss) => (iss.code === "unrecognized_keys" ? `Unknown key${iss.keys.length > 1 ? "s" : ""} ${iss.keys.map((k) => `"${k}"`).join(", ")}; a rule has model, version, requires, versions, signature, sameFeatureSet` : undefined) },
  )
  .refine((r) => r.versions !== undefined || r.signature || r.sameFeatureSet, { message: "Give versions, signature: true or sameFeatureSet: true (what model needs of requires)", path: ["versions"] })
  .refine((r) => r.model !== r.requires, { message: "A model cannot require itself", path: ["requires"] });
export type TReleaseRule = z.infer<typeof ZReleaseRule>;

export const ZCreateReleaseInput = z
  .object({
    name: requiredText("Name the release, e.g. ranking-2026-11", 200),
    justification: ZRequestPromotionInput.shape.justification,
    members: z
      .array(ZReleaseMember, { error: "members lists the versions to promote together: [{ model, version, stage }]" })
      .min(MIN_MEMBERS, `A release promotes at least ${MIN_MEMBERS} models together; promote one model with a promotion request`)
      .max(MAX_MEMBERS, `A release has at most ${MAX_MEMBERS} members`),
    rules: z.array(ZReleaseRule, { error: "rules is a list of compatibility rules" }).max(50, "Give at most 50 rules").default([]),
  })
  .superRefine((input, ctx) => {
    const seen = new Map<string, number>();
    input.members.forEach((m, i) => {
      const key = m.model.trim().toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["members", i, "model"], message: `${m.model} is already member ${seen.get(key)! + 1}; a release moves each model once` });
      else seen.set(key, i);
    });
    input.rules.forEach((r, i) => {
      if (!seen.has(r.model.trim().toLowerCase())) ctx.addIssue({ code: "custom", path: ["rules", i, "model"], message: `${r.model} is not a member of this release; a rule says what a member needs` });
    });
  });
export type TCreateReleaseInput = z.input<typeof ZCreateReleaseInput>;

export const ZReleaseDecisionInput = ZDecisionInput;
export type TReleaseDecisionInput = z.input<typeof ZReleaseDecisionInput>;
export const ZReleaseCommentInput = ZCommentInput;

export const ZListReleasesQuery = ZPageQuery.extend({
  status: z.enum(RELEASE_STATUSES, { error: `status is one of ${RELEASE_STATUSES.join(", ")}` }).optional(),
  open: z.enum(["true", "false"]).optional().describe("Only releases not yet ended: open (waiting for their members) or rolling out"),
  model: z.string().max(128).optional().describe("Releases with a member of this model"),
});
