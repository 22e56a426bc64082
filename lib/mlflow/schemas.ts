import { z } from "zod";

/**
 * The request messages of model_registry.proto, as zod. GET parameters arrive as strings (numbers too); repeated
 * fields (order_by, stages) as one value or several. Unknown fields are ignored, as MLflow's parser does.
 */

const API_DOCS_HINT = "See the API docs for more information about request parameters.";

/** A required string field, with MLflow's message when it is missing. */
const required = (name: string) =>
  z.string({ error: (iss) => (iss.input === undefined || iss.input === null ? `Missing value for required parameter '${name}'. ${API_DOCS_HINT}` : `Parameter '${name}' must be a string`) }).refine((s) => s.length > 0, `Missing value for required parameter '${name}'. ${API_DOCS_HINT}`);

const optionalString = (name: string) => z.string({ error: `Parameter '${name}' must be a string` }).optional();

/** A version number as MLflow sends it: a string ("3"), though some clients send a number. */
const version = z.union([z.string(), z.number().int()], { error: (iss) => (iss.input === undefined ? `Missing value for required parameter 'version'. ${API_DOCS_HINT}` : "Parameter 'version' must be a string") }).transform(String);

const tags = z
  .array(z.object({ key: z.string({ error: "Each tag has a string key" }), value: z.string({ error: "Each tag has a string value" }) }), { error: "tags is a list of { key, value }" })
  .max(50, "At most 50 tags")
  .optional();

const repeated = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const maxResults = (max: number, fallback: number) =>
  z.coerce
    .number({ error: "Parameter 'max_results' must be a whole number" })
    .int("Parameter 'max_results' must be a whole number")
    .min(1, "Parameter 'max_results' must be at least 1")
    .max(max, `Invalid value for request parameter max_results. It must be at most ${max}`)
    .default(fallback);

export const ZName = z.object({ name: required("name") });
export const ZNameVersion = z.object({ name: required("name"), version });

export const ZCreateRegisteredModel = z.object({ name: required("name"), tags, description: optionalString("description") });
export const ZUpdateRegisteredModel = z.object({ name: required("name"), description: optionalString("description") });
export const ZSearchRegisteredModels = z.object({ filter: optionalString("filter"), max_results: maxResults(1_000, 100), order_by: repeated, page_token: optionalString("page_token") });
export const ZGetLatestVersions = z.object({ name: required("name"), stages: repeated });
export const ZModelTag = z.object({ name: required("name"), key: required("key"), value: z.string({ error: (iss) => (iss.input === undefined ? `Missing value for required parameter 'value'. ${API_DOCS_HINT}` : "Parameter 'value' must be a string") }) });
export const ZModelTagKey = z.object({ name: required("name"), key: required("key") });

export const ZCreateModelVersion = z.object({
  name: required("name"),
  source: required("source"),
  run_id: optionalString("run_id"),
  tags,
  run_link: optionalString("run_link"),
  description: optionalString("description"),
});
export const ZUpdateModelVersion = z.object({ name: required("name"), version, description: optionalString("description") });
// Versions: MLflow allows 200,000 a page; Gatehouse answers at most 10,000 (the proto lets backends choose) and pages on.
export const ZSearchModelVersions = z.object({ filter: optionalString("filter"), max_results: z.coerce.number({ error: "Parameter 'max_results' must be a whole number" }).int().min(1, "Parameter 'max_results' must be at least 1").default(10_000).transform((n) => Math.min(n, 10_000)), order_by: repeated, page_token: optionalString("page_token") });
export const ZVersionTag = z.object({ name: required("name"), version, key: required("key"), value: ZModelTag.shape.value });
export const ZVersionTagKey = z.object({ name: required("name"), version, key: required("key") });

export const ZSetAlias = z.object({ name: required("name"), alias: required("alias"), version });
export const ZAlias = z.object({ name: required("name"), alias: required("alias") });
