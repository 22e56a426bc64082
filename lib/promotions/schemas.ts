import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";
import { requiredText } from "@/lib/text";
import { commentProblem } from "./comment";
import { STATUSES } from "./state";

/** API and form inputs for promotion requests, decisions, rollbacks and reviews. */

/** A comment that says something (see comment.ts), reported at the field that holds it. */
const meaningful = (what: string) =>
  requiredText(`Write ${what}`, 4_000).superRefine((text, ctx) => {
    const problem = commentProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const VersionNumber = z.coerce.number({ error: "version must be a version number" }).int("version must be a whole number").positive("version must be a version number").max(2_147_483_647);

export const ZRequestPromotionInput = z.object({
  model: z.string({ error: "Name the model" }).min(1, "Name the model").max(128),
  version: VersionNumber,
  stage: z.string({ error: "Name the target stage, e.g. staging or production" }).min(1, "Name the target stage, e.g. staging or production").max(40),
  justification: meaningful("a justification: why this version should move now"),
  emergency: z.boolean({ error: "emergency is true or false" }).default(false).describe("Apply during an incident or freeze with an ML Lead and an admin; a compliance review follows"),
});
export type TRequestPromotionInput = z.input<typeof ZRequestPromotionInput>;

export const DECISIONS = ["approve", "reject", "request-changes"] as const;
export const ZDecisionInput = z.object({
  decision: z.enum(DECISIONS, { error: "decision is approve, reject or request-changes" }),
  comment: meaningful("a comment: what you checked and why you decided so"),
  password: z.string().max(1_000).optional().describe("Your password, to sign electronically where the policy asks for it"),
});
export type TDecisionInput = z.input<typeof ZDecisionInput>;

export const ZCommentInput = z.object({ comment: meaningful("a comment saying why") });
export type TCommentInput = z.input<typeof ZCommentInput>;

export const ZRollbackInput = z.object({
  toVersion: VersionNumber.optional().describe("An earlier holder to return to; default: the previous holder"),
  comment: meaningful("a comment: why the alias goes back"),
});
export type TRollbackInput = z.input<typeof ZRollbackInput>;

export const ZListPromotionsQuery = ZPageQuery.extend({
  status: z.enum(STATUSES, { error: `status is one of ${STATUSES.join(", ")}` }).optional(),
  open: z.enum(["true", "false"]).optional().describe("Only requests still waiting (blocked, awaiting approval, changes requested, approved)"),
  model: z.string().max(128).optional(),
  stage: z.string().max(40).optional(),
  requester: z.string().max(320).optional().describe("The requester's email, or \"me\""),
});
