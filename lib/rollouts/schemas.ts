import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";
import { ZCommentInput } from "@/lib/promotions/schemas";
import { ROLLOUT_STATUSES } from "./machine";

/** API and form inputs for rollouts and incidents. */

/** Pause, resume, advance early, abort: a comment saying why is always required. */
export const ZRolloutControlInput = ZCommentInput;
export type TRolloutControlInput = z.input<typeof ZRolloutControlInput>;

export const ZCheckpointInput = ZCommentInput.extend({
  decision: z.enum(["approve", "reject"], { error: "decision is approve or reject" }),
  password: z.string().max(1_000).optional().describe("Your password, to sign electronically where the policy asks for it"),
});
export type TCheckpointInput = z.input<typeof ZCheckpointInput>;

export const ZRolloutsQuery = ZPageQuery.extend({
  model: z.string().max(128).optional(),
  status: z.enum(["active", ...ROLLOUT_STATUSES], { error: `status is active or one of ${ROLLOUT_STATUSES.join(", ")}` }).optional(),
});

export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export const ZIncidentsQuery = ZPageQuery.extend({
  model: z.string().max(128).optional(),
  status: z.enum(INCIDENT_STATUSES, { error: "status is open, acknowledged or resolved" }).optional(),
});

export const ZIncidentActionInput = ZCommentInput;
