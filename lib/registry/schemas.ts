import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";
import { ZReason, optionalText, requiredText, storable, STORABLE_MESSAGE } from "@/lib/text";

export { ZPageQuery };

/** Model names as MLflow accepts them, kept URL-safe: letters, digits, dot, dash, underscore. */
export const ZModelName = z
  .string({ error: "Enter a model name" })
  .trim()
  .min(1, "Enter a model name")
  .max(128, "Use at most 128 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, '.', '-' and '_', starting with a letter or digit");

/** Alias names as MLflow's: [A-Za-z0-9_-], at most 255 bytes; `v<number>` and `latest` are reserved. */
export const ZAliasName = z
  .string({ error: "Enter an alias name" })
  .min(1, "Enter an alias name")
  .max(255, "Use at most 255 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Use letters, digits, '-' and '_'")
  .refine((s) => !/^v\d+$/i.test(s), "Names like v1, V23 are reserved for version numbers")
  .refine((s) => s.toLowerCase() !== "latest", "\"latest\" is reserved");

const ZTagKey = z.string().min(1).max(250).regex(/^[A-Za-z0-9_.\-/: ]+$/, "Tag keys use letters, digits, space and _ . - / :");
export const ZTags = z.record(ZTagKey, z.string().max(5_000).refine(storable, STORABLE_MESSAGE)).refine((t) => Object.keys(t).length <= 50, "At most 50 tags");

const ZSha = (what: string) => z.string().trim().regex(/^[0-9a-f]{7,64}$/i, `${what}: 7 to 64 hex characters`).transform((s) => s.toLowerCase());
const ZHash = z.string().trim().min(8).max(200).regex(/^[A-Za-z0-9:+/=_-]+$/, "A content hash such as sha256:<hex>").refine(storable, STORABLE_MESSAGE);
const ZUri = z.string().trim().min(1).max(2_000).refine(storable, STORABLE_MESSAGE);
const ZUrl = z.url({ protocol: /^https?$/, error: "An http(s) URL" }).max(2_000);

export const RISK_TIERS = ["standard", "regulated"] as const;

export const ZCreateModelInput = z.object({
  name: ZModelName,
  description: optionalText(5_000),
  team: z.string({ error: "Name the owning team (its slug)" }).min(1, "Name the owning team (its slug)"),
  tags: ZTags.default({}),
  riskTier: z.enum(RISK_TIERS, { message: "riskTier is standard or regulated" }).default("standard"),
});
export type TCreateModelInput = z.input<typeof ZCreateModelInput>;

export const ZUpdateModelInput = z
  .strictObject({ description: optionalText(5_000), tags: ZTags.optional(), reason: ZReason })
  .refine((v) => v.description !== undefined || v.tags !== undefined, "Send at least one of description, tags");
export type TUpdateModelInput = z.input<typeof ZUpdateModelInput>;

const ZColumn = z.object({ name: z.string().min(1).max(200), type: z.string().min(1).max(100), optional: z.boolean().optional() });

export const ZCreateVersionInput = z.object({
  description: optionalText(5_000),
  tags: ZTags.default({}),
  artifact: z.object({ uri: ZUri, checksum: ZHash }, { error: "artifact { uri, checksum } is required" }),
  signature: z.object({ inputs: z.array(ZColumn).max(2_000), outputs: z.array(ZColumn).max(2_000) }).optional().describe("Model input and output schema"),
  lineage: z
    .object({
      codeRepository: ZUri.optional(),
      commitSha: ZSha("commitSha").optional(),
      dataSnapshotUri: ZUri.optional(),
      dataHash: ZHash.optional(),
      featureSet: z.object({ name: requiredText("Name the feature set", 200), version: requiredText("Give the feature set version", 100) }).optional(),
      trainingRun: z.object({ id: requiredText("Give the training run id", 200), url: ZUrl.optional() }).optional(),
      hyperparameters: z.record(z.string().max(200), z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()])).default({}),
      parentVersion: z.number().int().positive().max(2_147_483_647).optional().describe("The version this one was retrained from"),
    })
    .default({ hyperparameters: {} }),
  environment: z
    .object({
      imageDigest: z.string().trim().regex(/^sha256:[0-9a-f]{64}$/, "imageDigest: sha256:<64 hex>").optional(),
      lockfileHash: ZHash.optional(),
      runtime: optionalText(200),
      accelerator: optionalText(200),
      resourceClass: optionalText(200),
    })
    .default({}),
});
export type TCreateVersionInput = z.input<typeof ZCreateVersionInput>;

/** Registration through the MLflow API: the same, but the artifact checksum may be missing (stored empty). */
export const ZMlflowVersionInput = ZCreateVersionInput.extend({
  artifact: z.object({ uri: ZUri, checksum: z.union([z.literal(""), ZHash], { error: "A content hash such as sha256:<hex>" }) }, { error: "artifact { uri } is required" }),
});

export const VERSION_STATUSES = ["ready", "archived"] as const;
export const ZUpdateVersionInput = z
  .strictObject(
    { description: optionalText(5_000), tags: ZTags.optional(), status: z.enum(VERSION_STATUSES, { message: "status is ready or archived" }).optional(), reason: ZReason },
    { error: (iss) => (iss.code === "unrecognized_keys" ? "Only description, tags and status can change; a registered version is otherwise immutable" : undefined) },
  )
  .refine((v) => v.description !== undefined || v.tags !== undefined || v.status !== undefined, "Send at least one of description, tags, status");
export type TUpdateVersionInput = z.input<typeof ZUpdateVersionInput>;

export const ZSetAliasInput = z.object({
  version: z.number({ error: "version must be a version number" }).int().positive().max(2_147_483_647),
  reason: ZReason,
});

export const ZListModelsQuery = ZPageQuery.extend({
  q: optionalText(200),
  team: z.string().max(40).optional(),
  tag: z.string().max(300).regex(/^[^=]+=.*$/, "tag is key=value").optional().describe("key=value"),
  riskTier: z.enum(RISK_TIERS).optional(),
});

export const ZLineageQuery = z
  .object({ dataHash: ZHash.optional(), commit: ZSha("commit").optional(), cursor: ZPageQuery.shape.cursor, limit: z.coerce.number().int().min(1).max(500).default(100) })
  .refine((q) => Boolean(q.dataHash) !== Boolean(q.commit), "Give exactly one of dataHash or commit");

export const ZAliasHistoryQuery = z.object({
  at: z.iso.datetime({ offset: true, error: "at is an ISO 8601 time such as 2026-11-22T09:00:00Z" }).optional().describe("Which version held the alias at this time (default: now)"),
});
