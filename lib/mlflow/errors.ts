import { ZodError } from "zod";
import { AppError } from "@/lib/api/errors";

/**
 * MLflow's error codes (databricks.proto `ErrorCode`) with the HTTP status MLflow answers them with
 * (mlflow/exceptions.py `ERROR_CODE_TO_HTTP_STATUS`), for the ones Gatehouse's MLflow API uses.
 */
export const MLFLOW_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;
export type MlflowCode = keyof typeof MLFLOW_STATUS;

/** The body MLflow answers errors with; `gatehouse` carries what Gatehouse adds (e.g. the promotion request it opened). */
export type MlflowErrorBody = { error_code: MlflowCode; message: string; gatehouse?: Record<string, unknown> };

export class MlflowError extends Error {
  constructor(
    readonly code: MlflowCode,
    message: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "MlflowError";
  }
  get status(): number {
    return MLFLOW_STATUS[this.code];
  }
}

export const invalidParameter = (message: string) => new MlflowError("INVALID_PARAMETER_VALUE", message);
export const doesNotExist = (message: string) => new MlflowError("RESOURCE_DOES_NOT_EXIST", message);

const API_DOCS_HINT = "See the API docs for more information about request parameters.";

/** MLflow's wording for a parameter problem, naming the parameter as the request spells it. */
function parameterMessage(err: ZodError): string {
  const issue = err.issues[0];
  const name = issue.path.map(String).join(".") || "(body)";
  const input = (issue as { input?: unknown }).input;
  if (issue.code === "invalid_type" && input === undefined) return `Missing value for required parameter '${name}'. ${API_DOCS_HINT}`;
  return `Invalid value for parameter '${name}' supplied: ${issue.message}. ${API_DOCS_HINT}`;
}

/** Gatehouse's own error codes (lib/api/errors.ts) as the MLflow code a client of MLflow expects for the same case. */
const FROM_APP_CODE: Record<string, MlflowCode> = {
  invalid_input: "INVALID_PARAMETER_VALUE",
  invalid_document: "INVALID_PARAMETER_VALUE",
  unsupported_media_type: "BAD_REQUEST",
  payload_too_large: "BAD_REQUEST",
  unauthenticated: "UNAUTHENTICATED",
  forbidden: "PERMISSION_DENIED",
  protected_alias: "PERMISSION_DENIED",
  not_found: "RESOURCE_DOES_NOT_EXIST",
  conflict: "RESOURCE_CONFLICT",
  rate_limited: "REQUEST_LIMIT_EXCEEDED",
  unavailable: "TEMPORARILY_UNAVAILABLE",
};

/**
 * Any error a use case raised, as MLflow would report it: its status and `{ error_code, message }`. Null for an
 * unexpected error (the caller logs it and answers INTERNAL_ERROR with a request id).
 */
export function toMlflowError(err: unknown): { status: number; body: MlflowErrorBody } | null {
  if (err instanceof MlflowError) return { status: err.status, body: { error_code: err.code, message: err.message, ...(err.extra ? { gatehouse: err.extra } : {}) } };
  if (err instanceof ZodError) return { status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: parameterMessage(err) } };
  if (err instanceof AppError) {
    if (err.code === "unsupported_media_type") return { status: 400, body: { error_code: "BAD_REQUEST", message: "Bad Request. Content-Type must be one of ['application/json']." } };
    const code = FROM_APP_CODE[err.code] ?? (err.status >= 500 ? "INTERNAL_ERROR" : "INVALID_PARAMETER_VALUE");
    // A body over the limit keeps its 413, as the rate limit keeps its 429: the status is what proxies and retries read.
    const status = err.status === 413 || err.status === 429 || err.status === 503 ? err.status : MLFLOW_STATUS[code];
    return { status, body: { error_code: code, message: err.message } };
  }
  return null;
}
