import { z, type ZodType } from "zod";
import { ZSaveConnectorInput } from "@/lib/mlflow/connector-schemas";
import { ZCreateTeamInput, ZCreateTokenInput, ZCreateUserInput, ZListQuery, ZReasonInput, ZResetPasswordInput, ZRoleGrantInput } from "@/lib/auth/schemas";
import { PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { ZListNotificationsQuery, ZMarkReadInput, ZUpdatePreferencesInput } from "@/lib/notifications/schemas";
import { ZGatesQuery, ZPolicyVersionQuery, ZPutPolicyInput, ZValidatePolicyInput } from "@/lib/policy/schemas";
import { ZMetricBatch } from "@/lib/metrics/schemas";
import { ZCheckpointInput, ZIncidentActionInput, ZIncidentsQuery, ZRolloutControlInput, ZRolloutsQuery } from "@/lib/rollouts/schemas";
import { ZRolloutSeriesQuery } from "@/lib/rollouts/series-schemas";
import { ZCommentInput, ZDecisionInput, ZListPromotionsQuery, ZRequestPromotionInput, ZRollbackInput } from "@/lib/promotions/schemas";
import { ZCreateReleaseInput, ZListReleasesQuery, ZReleaseCommentInput, ZReleaseDecisionInput, ZReleaseRule } from "@/lib/releases/schemas";
import { RELEASE_STATUSES } from "@/lib/releases/state";
import { ZAuditExportQuery, ZAuditQuery } from "@/lib/audit/schemas";
import { ZReportInput, ZReportsQuery } from "@/lib/registry/report-schemas";
import { ZAliasHistoryQuery, ZCreateModelInput, ZCreateVersionInput, ZLineageQuery, ZListModelsQuery, ZPageQuery, ZSetAliasInput, ZUpdateVersionInput } from "@/lib/registry/schemas";
import { ZCreateWebhookInput, ZListDeliveriesQuery, ZUpdateWebhookInput } from "@/lib/webhooks/schemas";
import pkg from "@/package.json";

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the route handlers validate with, so the two
 * cannot drift apart. Served at /api/v1/openapi.json.
 */
export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  permission?: Permission | "public";
  body?: ZodType;
  query?: ZodType;
  status?: number;
  /** Answers 422 with each problem's line and column when the document is invalid. */
  validatesDocument?: boolean;
  /** The success body, where the document describes it. */
  response?: object;
  /** Answers the operation gives beyond the common ones: status → description (all with the error body). */
  errors?: Record<number, string>;
};

/** A response schema defined under components.schemas (hoisted: OPERATIONS below uses them). */
function ref(name: string) {
  return { $ref: `#/components/schemas/${name}` };
}
function page(name: string) {
  return { type: "object", required: ["items", "nextCursor"], properties: { items: { type: "array", items: ref(name) }, nextCursor: { type: ["string", "null"] } } };
}

/** Every endpoint with its schemas: the document below, and the fuzz tests (e2e/api/fuzz.spec.ts), are made from it. */
export const OPERATIONS: Operation[] = [
  { method: "get", path: "/api/v1/health", summary: "Database reachable, migrations current, version", permission: "public" },
  { method: "get", path: "/api/v1/me", summary: "Who the caller is, with roles, scopes and permissions" },
  // Notifications: the caller's own, so people only (a user session or user-bound token); service tokens get 403.
  { method: "get", path: "/api/v1/notifications", summary: "The caller's notifications, newest first (cursor; unread=true for unread only)", query: ZListNotificationsQuery },
  { method: "get", path: "/api/v1/notifications/unread-count", summary: "How many of the caller's notifications are unread" },
  { method: "post", path: "/api/v1/notifications/read", summary: "Mark the caller's notifications read: some ({ ids }) or all ({ all: true })", body: ZMarkReadInput },
  { method: "get", path: "/api/v1/me/notification-preferences", summary: "Per event, whether the caller gets in-app and email notifications" },
  { method: "put", path: "/api/v1/me/notification-preferences", summary: "Change the caller's notification channels for the events named (audited)", body: ZUpdatePreferencesInput },
  { method: "get", path: "/api/v1/models", summary: "List models (search, filters, cursor)", permission: "registry.read", query: ZListModelsQuery },
  { method: "post", path: "/api/v1/models", summary: "Register a model", permission: "registry.write", body: ZCreateModelInput, status: 201 },
  { method: "get", path: "/api/v1/models/{name}", summary: "A model with its aliases and latest version", permission: "registry.read" },
  { method: "get", path: "/api/v1/models/{name}/versions", summary: "Versions, newest first", permission: "registry.read", query: ZPageQuery },
  { method: "post", path: "/api/v1/models/{name}/versions", summary: "Register the next version (immutable)", permission: "registry.write", body: ZCreateVersionInput, status: 201 },
  { method: "get", path: "/api/v1/models/{name}/versions/{version}", summary: "One version with lineage, environment, reports", permission: "registry.read" },
  { method: "patch", path: "/api/v1/models/{name}/versions/{version}", summary: "Change description, tags or status", permission: "registry.write", body: ZUpdateVersionInput },
  { method: "get", path: "/api/v1/models/{name}/versions/{version}/reports", summary: "Evaluation reports, newest first", permission: "registry.read", query: ZReportsQuery },
  { method: "post", path: "/api/v1/models/{name}/versions/{version}/reports", summary: "Attach an evaluation report (append-only)", permission: "registry.write", body: ZReportInput, status: 201 },
  { method: "get", path: "/api/v1/models/{name}/aliases", summary: "Aliases and their recent history", permission: "registry.read" },
  { method: "get", path: "/api/v1/models/{name}/aliases/{alias}", summary: "Resolve model@alias (serving; ETag, 304)", permission: "serving.read" },
  { method: "put", path: "/api/v1/models/{name}/aliases/{alias}", summary: "Point an unprotected alias at a version", permission: "aliases.set", body: ZSetAliasInput },
  { method: "delete", path: "/api/v1/models/{name}/aliases/{alias}", summary: "Delete an unprotected alias", permission: "aliases.set", query: ZReasonInput },
  { method: "get", path: "/api/v1/models/{name}/versions/{version}/gates", summary: "Dry-run the gates for moving a version to ?stage=", permission: "registry.read", query: ZGatesQuery },
  { method: "get", path: "/api/v1/models/{name}/policy", summary: "A model's policy (newest, or ?version=)", permission: "registry.read", query: ZPolicyVersionQuery },
  { method: "put", path: "/api/v1/models/{name}/policy", summary: "Save a new version of a model's policy (YAML text and a comment)", permission: "policies.manage", body: ZPutPolicyInput, validatesDocument: true },
  { method: "get", path: "/api/v1/policies/default", summary: "The organisation default policy (newest, or ?version=)", permission: "registry.read", query: ZPolicyVersionQuery },
  { method: "put", path: "/api/v1/policies/default", summary: "Save a new version of the organisation default", permission: "policies.manage", body: ZPutPolicyInput, validatesDocument: true },
  { method: "post", path: "/api/v1/policies/validate", summary: "Validate a policy text: 200, or 422 with each error's path, line and column", permission: "registry.read", body: ZValidatePolicyInput, validatesDocument: true },
  { method: "get", path: "/api/v1/models/{name}/mlflow", summary: "The model's MLflow connector (never its token), drift and recent alias moves; { connector: null } without one", permission: "registry.read" },
  { method: "put", path: "/api/v1/models/{name}/mlflow", summary: "Connect the model to an MLflow registry, or change the connection (tracking URI, model name, token, interval)", permission: "mlflow.manage", body: ZSaveConnectorInput },
  { method: "delete", path: "/api/v1/models/{name}/mlflow", summary: "Disconnect from MLflow (imported versions and aliases stay)", permission: "mlflow.manage", query: ZReasonInput },
  { method: "post", path: "/api/v1/models/{name}/mlflow/import", summary: "Import from MLflow now: new versions, alias adoption (first import), drift (engineers, ML Leads and admins)", permission: "registry.read" },
  { method: "post", path: "/api/v1/models/{name}/mlflow/push-aliases", summary: "Resolve drift: send Gatehouse's position of every drifted alias to MLflow", permission: "aliases.rollback", body: ZReasonInput },
  { method: "post", path: "/api/v1/models/{name}/aliases/{alias}/rollback", summary: "Repoint an alias to its previous holder (or ?toVersion an earlier one), with a comment", permission: "aliases.rollback", body: ZRollbackInput },
  { method: "get", path: "/api/v1/promotions", summary: "Promotion requests, newest first (status, open, model, stage, requester; cursor)", permission: "registry.read", query: ZListPromotionsQuery },
  { method: "post", path: "/api/v1/promotions", summary: "Request a promotion: 201 with the gate results and the approvals still needed", permission: "promotions.request", body: ZRequestPromotionInput, status: 201 },
  { method: "get", path: "/api/v1/promotions/{id}", summary: "One request (id or number) with gates, approvals, decisions and the alias move", permission: "registry.read" },
  { method: "post", path: "/api/v1/promotions/{id}/decisions", summary: "Approve, reject or request changes, with a comment (and password where a signature is asked); people only", body: ZDecisionInput, status: 201 },
  { method: "post", path: "/api/v1/promotions/{id}/cancel", summary: "Cancel an open request (its requester or an admin), with a comment", body: ZCommentInput },
  { method: "post", path: "/api/v1/promotions/{id}/resubmit", summary: "Resubmit a request sent back for changes (its requester), with a comment", permission: "promotions.request", body: ZCommentInput },
  { method: "post", path: "/api/v1/promotions/{id}/review", summary: "Review an applied emergency promotion afterwards, with a comment", permission: "promotions.review", body: ZCommentInput },
  { method: "get", path: "/api/v1/releases", summary: "Coordinated releases, newest first (status, open, model; cursor)", permission: "registry.read", query: ZListReleasesQuery, response: page("Release") },
  {
    method: "post",
    path: "/api/v1/releases",
    summary: "Create a release: several models, each version to its stage, applied together or not at all; 201 with every member's request (Location header)",
    permission: "promotions.request",
    body: ZCreateReleaseInput,
    status: 201,
    response: ref("ReleaseView"),
    errors: { 422: "incompatible_release: a compatibility rule (declared in the body or in a member's policy dependencies) fails for what the release would leave in place; nothing is created. Each failing rule is a detail, at rules.<i> or policies.<model>.dependencies" },
  },
  { method: "get", path: "/api/v1/releases/{id}", summary: "One release (id or number): its members in full, its rules and how they check now", permission: "registry.read", response: ref("ReleaseView") },
  {
    method: "post",
    path: "/api/v1/releases/{id}/decisions",
    summary: "Approve, reject or request changes on every member waiting for a role the caller holds, with one comment (and password where a signature is asked); people only; 403 when no member was waiting for the caller",
    body: ZReleaseDecisionInput,
    status: 201,
    response: { allOf: [ref("ReleaseView"), { type: "object", required: ["decided", "skipped"], properties: { decided: { type: "array", items: { type: "integer" }, description: "Numbers of the member requests decided" }, skipped: { type: "array", items: { type: "object", required: ["number", "reason"], properties: { number: { type: "integer" }, reason: { type: "string" } } }, description: "Members not decided, and why" } } }] },
  },
  { method: "post", path: "/api/v1/releases/{id}/cancel", summary: "Cancel an open or rolling-out release (its requester or an admin of every member's team), with a comment: every open member is cancelled, live rollouts stop", body: ZReleaseCommentInput, response: ref("ReleaseView") },
  { method: "post", path: "/api/v1/releases/{id}/rollback", summary: "Roll a release back, with a comment: every member's alias back to the version it replaced, in one transaction; 409 naming the alias when one moved on since (needs aliases.rollback for every member's team)", permission: "aliases.rollback", body: ZReleaseCommentInput, response: ref("ReleaseView") },
  { method: "get", path: "/api/v1/lineage", summary: "Versions trained from a data hash or commit", permission: "registry.read", query: ZLineageQuery },
  { method: "get", path: "/api/v1/users", summary: "List users", permission: "users.manage", query: ZListQuery },
  { method: "post", path: "/api/v1/users", summary: "Create a user, or invite one (no password)", permission: "users.manage", body: ZCreateUserInput, status: 201 },
  { method: "get", path: "/api/v1/users/{id}", summary: "One user with their roles", permission: "users.manage" },
  { method: "post", path: "/api/v1/users/{id}/deactivate", summary: "Deactivate: end sessions, revoke user tokens", permission: "users.manage", body: ZReasonInput },
  { method: "post", path: "/api/v1/users/{id}/reactivate", summary: "Let a deactivated user sign in again", permission: "users.manage", body: ZReasonInput },
  { method: "post", path: "/api/v1/users/{id}/password", summary: "Set a new password", permission: "users.manage", body: ZResetPasswordInput },
  { method: "post", path: "/api/v1/users/{id}/invitation", summary: "A new one-time invitation link", permission: "users.manage", body: ZReasonInput, status: 201 },
  { method: "post", path: "/api/v1/users/{id}/roles", summary: "Grant a role", permission: "roles.manage", body: ZRoleGrantInput, status: 201 },
  { method: "delete", path: "/api/v1/users/{id}/roles/{grantId}", summary: "Revoke a role", permission: "roles.manage", query: ZReasonInput },
  { method: "get", path: "/api/v1/teams", summary: "List teams", permission: "registry.read" },
  { method: "post", path: "/api/v1/teams", summary: "Create a team", permission: "teams.manage", body: ZCreateTeamInput, status: 201 },
  { method: "get", path: "/api/v1/tokens", summary: "List API tokens (never their secrets)", permission: "tokens.manage", query: ZListQuery, response: page("ApiToken") },
  {
    method: "post",
    path: "/api/v1/tokens",
    summary: "Create an API token (shown once), optionally with its own rate limit (rateLimitPerMinute)",
    permission: "tokens.manage",
    body: ZCreateTokenInput,
    status: 201,
    response: { allOf: [ref("ApiToken"), { type: "object", required: ["token"], properties: { token: { type: "string", description: "The token itself, shown this once" } } }] },
  },
  { method: "delete", path: "/api/v1/tokens/{id}", summary: "Revoke an API token", permission: "tokens.manage", query: ZReasonInput },
  { method: "get", path: "/api/v1/webhooks", summary: "List webhook endpoints (never their secrets; cursor)", permission: "webhooks.manage", query: ZPageQuery },
  { method: "post", path: "/api/v1/webhooks", summary: "Register a webhook endpoint: 201 with its signing secret, shown this once", permission: "webhooks.manage", body: ZCreateWebhookInput, status: 201 },
  { method: "get", path: "/api/v1/webhooks/{id}", summary: "One webhook endpoint with its delivery counts", permission: "webhooks.manage" },
  { method: "patch", path: "/api/v1/webhooks/{id}", summary: "Change a webhook's URL, events, description, or enable/disable it", permission: "webhooks.manage", body: ZUpdateWebhookInput },
  { method: "delete", path: "/api/v1/webhooks/{id}", summary: "Delete a webhook endpoint and its delivery log", permission: "webhooks.manage" },
  { method: "post", path: "/api/v1/webhooks/{id}/rotate-secret", summary: "Replace a webhook's signing secret (the new one is shown this once)", permission: "webhooks.manage" },
  { method: "get", path: "/api/v1/webhooks/{id}/deliveries", summary: "A webhook's delivery log, newest first (status; cursor)", permission: "webhooks.manage", query: ZListDeliveriesQuery },
  { method: "post", path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", summary: "Send a delivered or failed delivery again (same delivery id): 202", permission: "webhooks.manage", status: 202 },
  { method: "post", path: "/api/v1/webhooks/{id}/test", summary: "Queue a signed webhook.test event for this endpoint: 202", permission: "webhooks.manage", status: 202 },
  { method: "get", path: "/api/v1/openapi.json", summary: "This document", permission: "public" },
  { method: "get", path: "/api/v1/audit/verify", summary: "Recompute the audit hash chain: { ok, checked, firstBrokenId }, recorded with when and by whom", permission: "audit.read" },
  { method: "get", path: "/api/v1/audit", summary: "Audit events, newest first (model, team, actor, action, from, to, q; cursor)", permission: "audit.read", query: ZAuditQuery },
  { method: "get", path: "/api/v1/audit/export", summary: "The filtered audit log as CSV or JSON Lines, streamed (format=csv|jsonl)", permission: "audit.export", query: ZAuditExportQuery },
  { method: "get", path: "/api/v1/models/{name}/aliases/{alias}/history", summary: "An alias's history, and which version it held at ?at=<ISO time>", permission: "registry.read", query: ZAliasHistoryQuery },
  { method: "get", path: "/api/v1/promotions/{id}/evidence", summary: "The request's evidence bundle: one re-verifiable JSON document", permission: "audit.export" },
  { method: "get", path: "/api/v1/models/{name}/routing", summary: "How the serving layer splits traffic now: champion, challenger, mode, challengerTrafficPercent (ETag, 304)", permission: "serving.read" },
  { method: "post", path: "/api/v1/models/{name}/metrics", summary: "Ingest live metrics: up to 10,000 points, windows and counter pairs, all or nothing (Idempotency-Key header)", permission: "metrics.write", body: ZMetricBatch },
  { method: "get", path: "/api/v1/rollouts", summary: "Rollouts, newest first (model, status=active or a status; cursor)", permission: "registry.read", query: ZRolloutsQuery },
  { method: "get", path: "/api/v1/rollouts/{id}", summary: "One rollout (id or number): plan, step, traffic, latest verdict, events, checkpoint decisions, incidents", permission: "registry.read" },
  { method: "get", path: "/api/v1/rollouts/{id}/series", summary: "Chart data of one metric (metric=, range=hour|day|all, dims=): both versions per minute downsampled to 1,000 points, thresholds, step, pause and checkpoint markers, traffic and score over time; without metric, the metrics to chart", permission: "registry.read", query: ZRolloutSeriesQuery },
  { method: "post", path: "/api/v1/rollouts/{id}/pause", summary: "Pause a running rollout (ml-lead), with a comment; rollback criteria still apply", permission: "rollouts.control", body: ZRolloutControlInput },
  { method: "post", path: "/api/v1/rollouts/{id}/resume", summary: "Resume a paused rollout (ml-lead), with a comment; paused time does not count towards holds", permission: "rollouts.control", body: ZRolloutControlInput },
  { method: "post", path: "/api/v1/rollouts/{id}/advance", summary: "Advance early to the next step (ml-lead), with a comment; never past an approval checkpoint", permission: "rollouts.control", body: ZRolloutControlInput },
  { method: "post", path: "/api/v1/rollouts/{id}/abort", summary: "Abort a rollout (ml-lead), with a comment: traffic to 0, @challenger cleared, request cancelled", permission: "rollouts.control", body: ZRolloutControlInput },
  { method: "post", path: "/api/v1/rollouts/{id}/checkpoint", summary: "Approve or reject at the checkpoint a rollout waits at, with a comment (and password where a signature is asked); people only", body: ZCheckpointInput },
  { method: "get", path: "/api/v1/incidents", summary: "Incidents opened by automatic rollbacks, newest first (model, status; cursor)", permission: "registry.read", query: ZIncidentsQuery },
  { method: "get", path: "/api/v1/incidents/{id}", summary: "One incident (id or number): the breached criteria, the evidence, the versions", permission: "registry.read" },
  { method: "post", path: "/api/v1/incidents/{id}/acknowledge", summary: "Take ownership of an open incident, with a comment", permission: "rollouts.control", body: ZIncidentActionInput },
  { method: "post", path: "/api/v1/incidents/{id}/resolve", summary: "Resolve an incident, with a comment", permission: "rollouts.control", body: ZIncidentActionInput },
];

export const jsonSchema = (schema: ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });

const ErrorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        details: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" }, line: { type: "integer" }, column: { type: "integer" } } } },
      },
    },
  },
};

const ApiTokenSchema = {
  type: "object",
  required: ["id", "name", "kind", "user", "scopes", "prefix", "createdAt", "lastUsedAt", "revokedAt", "rateLimitPerMinute"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    kind: { type: "string", enum: ["user", "service"] },
    user: { type: ["object", "null"], properties: { id: { type: "string" }, email: { type: "string" } } },
    scopes: { type: "array", items: { type: "string" } },
    prefix: { type: "string", description: "The token's first characters, to tell tokens apart" },
    createdAt: { type: "string", format: "date-time" },
    lastUsedAt: { type: ["string", "null"], format: "date-time" },
    revokedAt: { type: ["string", "null"], format: "date-time" },
    rateLimitPerMinute: { type: ["integer", "null"], description: "Its own REST requests a minute; null: the server's default (GATEHOUSE_API_RATE_LIMIT)" },
  },
};

/** Every authenticated operation may answer 429 once its caller is over the rate limit (docs/rate-limits.md). */
const RateLimitedResponse = {
  description: "Too many requests from this token (or this user's browser sessions): wait Retry-After seconds",
  headers: {
    "Retry-After": { description: "Whole seconds until a request is allowed again (at least 1)", schema: { type: "integer", minimum: 1 } },
    "RateLimit-Limit": { description: "Requests allowed a minute", schema: { type: "integer" } },
    "RateLimit-Remaining": { description: "Requests left now (0)", schema: { type: "integer" } },
    "RateLimit-Reset": { description: "Seconds until the full allowance is back", schema: { type: "integer" } },
  },
  content: { "application/json": { schema: ErrorSchema } },
};

const ReleaseMemberSchema = {
  type: "object",
  description: "A member of a release: a promotion request of its own",
  required: ["id", "number", "model", "version", "stage", "alias", "status"],
  properties: { id: { type: "string" }, number: { type: "integer" }, model: { type: "string" }, version: { type: "integer" }, stage: { type: "string" }, alias: { type: "string" }, status: { type: "string" }, statusLabel: { type: "string" } },
};
const ReleaseSchema = {
  type: "object",
  required: ["id", "number", "name", "status", "members"],
  properties: {
    id: { type: "string" },
    number: { type: "integer" },
    name: { type: "string" },
    status: { type: "string", enum: [...RELEASE_STATUSES] },
    statusLabel: { type: "string" },
    statusReason: { type: ["string", "null"], description: "Why it is where it is: what it waits for, or how it ended" },
    requester: { type: "string" },
    members: { type: "array", items: ref("ReleaseMember") },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};
const RuleCheckSchema = {
  type: "object",
  required: ["rule", "source", "status", "message", "path"],
  properties: {
    rule: { type: "string", description: 'The rule in words, e.g. "ranker v12 requires encoder >=7 with a matching signature"' },
    source: { type: "string", description: '"declared in the release" or "policy of <model>"' },
    status: { type: "string", enum: ["pass", "fail", "not-applicable"] },
    message: { type: "string" },
    path: { type: "string", description: "rules.<i> or policies.<model>.dependencies" },
  },
};
const { $schema: _draft, ...ruleSchema } = jsonSchema(ZReleaseRule);
const ReleaseViewSchema = {
  allOf: [
    ref("Release"),
    {
      type: "object",
      properties: {
        justification: { type: "string" },
        appliedAt: { type: ["string", "null"], format: "date-time" },
        rolledBackAt: { type: ["string", "null"], format: "date-time" },
        closedAt: { type: ["string", "null"], format: "date-time" },
        memberViews: { type: "array", description: "Each member as GET /api/v1/promotions/{id} shows it (gates, approvals, decisions), with its rollout when it has one", items: { type: "object" } },
        rules: { type: "array", description: "The rules declared in the release", items: ruleSchema },
        checks: { type: "array", description: "Every rule that applies (declared and from members' policies): checked now while the release is open, as last checked otherwise", items: ref("RuleCheck") },
        checkedAt: { type: "string", format: "date-time" },
        can: { type: "object", properties: { cancel: { type: "boolean" }, rollback: { type: "boolean" }, decide: { type: "boolean" } } },
      },
    },
  ],
};

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const query = op.query ? Object.entries((jsonSchema(op.query).properties ?? {}) as Record<string, object>).map(([name, schema]) => ({ name, in: "query", required: false, schema })) : [];
    const permission = op.permission ?? "any signed-in user or token";
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      description: permission === "public" ? "Public." : `Needs \`${permission}\`${op.permission && op.permission !== "public" ? ` (${PERMISSIONS[op.permission].description.toLowerCase()})` : ""}.`,
      security: permission === "public" ? [] : [{ bearer: [] }, { session: [] }],
      parameters: [...params, ...query],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: "Success", ...(op.response ? { content: { "application/json": { schema: op.response } } } : {}) },
        "400": { description: "Invalid input: what and where", content: { "application/json": { schema: ErrorSchema } } },
        "401": { description: "No valid session or token", content: { "application/json": { schema: ErrorSchema } } },
        "403": { description: "Not allowed", content: { "application/json": { schema: ErrorSchema } } },
        "404": { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
        ...(op.method !== "get" ? { "409": { description: "Conflicts with the current state", content: { "application/json": { schema: ErrorSchema } } } } : {}),
        ...(op.body ? { "415": { description: "Body is not JSON", content: { "application/json": { schema: ErrorSchema } } } } : {}),
        ...(op.validatesDocument ? { "422": { description: "The policy is invalid: each error with path, line and column", content: { "application/json": { schema: ErrorSchema } } } } : {}),
        ...Object.fromEntries(Object.entries(op.errors ?? {}).map(([status, description]) => [status, { description, content: { "application/json": { schema: ErrorSchema } } }])),
        ...(op.path.endsWith("/aliases/{alias}") && op.method === "get" ? { "304": { description: "Not modified (If-None-Match matched the ETag)" } } : {}),
        "413": { description: "Body over 1 MB", content: { "application/json": { schema: ErrorSchema } } },
        ...(permission === "public" ? {} : { "429": RateLimitedResponse }),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Gatehouse API", version: pkg.version, description: "Governed promotion of machine-learning model versions." },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (ghk_…)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: { Error: ErrorSchema, ApiToken: ApiTokenSchema, Release: ReleaseSchema, ReleaseMember: ReleaseMemberSchema, ReleaseView: ReleaseViewSchema, RuleCheck: RuleCheckSchema },
    },
    paths,
  };
}
