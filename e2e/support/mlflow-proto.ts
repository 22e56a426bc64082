import { expect } from "@playwright/test";

/**
 * The response messages of MLflow's `mlflow/protos/model_registry.proto` (MLflow 2.x), field by field: name and
 * JSON type as MLflow's `message_to_json` writes them (int64 as JSON numbers, enums as their names, repeated
 * fields as arrays). `?` marks a field MLflow leaves out when it is unset. The specs check every response body
 * against its message: every field present has the proto's type, and no field is one the proto lacks (apart from
 * `gatehouse`, Gatehouse's documented extension, which MLflow's client ignores as an unknown field).
 */
type FieldType = "string" | "int64" | "ModelVersionStatus" | `${string}[]` | `message:${string}`;
type Message = Record<string, { type: FieldType; optional?: boolean }>;

const f = (type: FieldType, optional = false) => ({ type, optional });

export const PROTO: Record<string, Message> = {
  // message RegisteredModel { name = 1; creation_timestamp = 2; last_updated_timestamp = 3; user_id = 4;
  //   description = 5; latest_versions = 6; tags = 7; aliases = 8 }
  RegisteredModel: {
    name: f("string"),
    creation_timestamp: f("int64"),
    last_updated_timestamp: f("int64"),
    user_id: f("string", true),
    description: f("string", true),
    latest_versions: f("ModelVersion[]", true),
    tags: f("RegisteredModelTag[]", true),
    aliases: f("RegisteredModelAlias[]", true),
  },
  // message ModelVersion { name = 1; version = 2; creation_timestamp = 3; last_updated_timestamp = 4; user_id = 5;
  //   current_stage = 6; description = 7; source = 8; run_id = 9; status = 10; status_message = 11; tags = 12;
  //   run_link = 13; aliases = 14 }
  ModelVersion: {
    name: f("string"),
    version: f("string"),
    creation_timestamp: f("int64"),
    last_updated_timestamp: f("int64"),
    user_id: f("string", true),
    current_stage: f("string", true),
    description: f("string", true),
    source: f("string"),
    run_id: f("string", true),
    status: f("ModelVersionStatus"),
    status_message: f("string", true),
    tags: f("ModelVersionTag[]", true),
    run_link: f("string", true),
    aliases: f("string[]", true),
  },
  // message ModelVersionTag { key = 1; value = 2 } / message RegisteredModelTag { key = 1; value = 2 }
  ModelVersionTag: { key: f("string"), value: f("string") },
  RegisteredModelTag: { key: f("string"), value: f("string") },
  // message RegisteredModelAlias { alias = 1; version = 2 }
  RegisteredModelAlias: { alias: f("string"), version: f("string") },

  // The .Response messages, each named after its request message.
  "CreateRegisteredModel.Response": { registered_model: f("message:RegisteredModel") },
  "GetRegisteredModel.Response": { registered_model: f("message:RegisteredModel") },
  "UpdateRegisteredModel.Response": { registered_model: f("message:RegisteredModel") },
  "DeleteRegisteredModel.Response": {},
  "SearchRegisteredModels.Response": { registered_models: f("RegisteredModel[]", true), next_page_token: f("string", true) },
  "GetLatestVersions.Response": { model_versions: f("ModelVersion[]", true) },
  "CreateModelVersion.Response": { model_version: f("message:ModelVersion") },
  "UpdateModelVersion.Response": { model_version: f("message:ModelVersion") },
  "DeleteModelVersion.Response": {},
  "GetModelVersion.Response": { model_version: f("message:ModelVersion") },
  "SearchModelVersions.Response": { model_versions: f("ModelVersion[]", true), next_page_token: f("string", true) },
  "GetModelVersionDownloadUri.Response": { artifact_uri: f("string") },
  "SetRegisteredModelTag.Response": {},
  "SetModelVersionTag.Response": {},
  "DeleteRegisteredModelTag.Response": {},
  "DeleteModelVersionTag.Response": {},
  "SetRegisteredModelAlias.Response": {},
  "DeleteRegisteredModelAlias.Response": {},
  "GetModelVersionByAlias.Response": { model_version: f("message:ModelVersion") },
};

const STATUSES = ["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"];

function check(value: unknown, type: FieldType, at: string) {
  if (type.endsWith("[]")) {
    expect(Array.isArray(value), `${at} is a repeated field`).toBe(true);
    (value as unknown[]).forEach((item, i) => check(item, type.slice(0, -2) as FieldType, `${at}[${i}]`));
  } else if (type === "string") {
    expect(typeof value, `${at} is a string`).toBe("string");
  } else if (type === "int64") {
    expect(Number.isSafeInteger(value), `${at} is an int64 as a JSON number`).toBe(true);
  } else if (type === "ModelVersionStatus") {
    expect(STATUSES, `${at} is a ModelVersionStatus`).toContain(value);
  } else {
    expectMessage(value, type.replace(/^message:/, ""), at);
  }
}

/** Asserts `json` is a valid `message` of model_registry.proto (see above). */
export function expectMessage(json: unknown, message: string, at = message) {
  const spec = PROTO[message];
  expect(spec, `${message} is described`).toBeTruthy();
  expect(json !== null && typeof json === "object" && !Array.isArray(json), `${at} is an object`).toBe(true);
  const body = json as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (key === "gatehouse" && at === message) continue;
    expect(Object.keys(spec), `${at}.${key} is a field of ${message}`).toContain(key);
  }
  for (const [key, field] of Object.entries(spec)) {
    if (body[key] === undefined) {
      expect(field.optional, `${at}.${key} is required`).toBe(true);
      continue;
    }
    check(body[key], field.type, `${at}.${key}`);
  }
}

