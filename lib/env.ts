import "server-only";
import { z } from "zod";
import { parseRoleMap, type RoleMapping } from "@/lib/auth/oidc-roles";

/**
 * The one place that reads process.env. Read lazily so `next build` works without a database configured;
 * the first request validates everything and fails loudly on a bad setting.
 */
/** An optional setting: unset and empty (as container tooling often leaves it) mean the same. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const urlWithProtocol = (name: string, protocols: string[], hint: string) =>
  z.string().refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), `${name} must be ${hint}`);

const ZEnv = z
  .object({
    DATABASE_URL: z.string().url("DATABASE_URL must be a postgresql:// URL"),
    NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
    NEXTAUTH_URL: z.string().url().optional(),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_DISPLAY_NAME: z.string().default("Single sign-on"),
    OIDC_GROUPS_CLAIM: z.string().default("groups"),
    OIDC_ROLE_MAP: z.string().default(""),
    // Email notifications are sent only when this is set, e.g. smtps://user:password@smtp.example.com:465.
    SMTP_URL: optional(urlWithProtocol("SMTP_URL", ["smtp:", "smtps:"], "an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465")),
    SMTP_FROM: optional(z.string().trim().min(3)).transform((v) => v ?? "Gatehouse <gatehouse@localhost>"),
    // A Slack incoming webhook (or any service that accepts the same JSON): one shared channel for every event.
    SLACK_WEBHOOK_URL: optional(urlWithProtocol("SLACK_WEBHOOK_URL", ["https:", "http:"], "an https:// (or http://) incoming-webhook URL")),
    // Webhook secrets are encrypted with a key derived (HKDF) from this; unset, from NEXTAUTH_SECRET. A key of its own
    // lets NEXTAUTH_SECRET be rotated without making every stored webhook secret unreadable (docs/webhooks.md).
    GATEHOUSE_WEBHOOK_KEY: optional(z.string().min(32, "GATEHOUSE_WEBHOOK_KEY must be at least 32 characters")),
    // Lets webhooks reach loopback, private, link-local and unique-local addresses: receivers on this machine or an
    // internal network. Off by default, so an admin's URL cannot be turned against internal services.
    GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE: optional(z.enum(["true", "false", "1", "0"], "GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE must be true or false")).transform((v) => v === "true" || v === "1"),
    // Raw live-metric points older than this many days are deleted; the per-minute rollups are kept (docs/metrics.md).
    GATEHOUSE_METRICS_RETENTION_DAYS: optional(z.coerce.number({ error: "GATEHOUSE_METRICS_RETENTION_DAYS must be a number of days" }).int("GATEHOUSE_METRICS_RETENTION_DAYS must be a whole number of days").min(1, "GATEHOUSE_METRICS_RETENTION_DAYS must be at least 1").max(36_500)).transform((v) => v ?? 30),
    // How often the rollout scheduler judges live rollouts and moves them on (one instance per tick does the work).
    // Set by `npm start` on the demo database: a background job feeds the demo's rollouts simulated live metrics.
    GATEHOUSE_DEMO_SIMULATOR: optional(z.enum(["true", "false", "1", "0"], "GATEHOUSE_DEMO_SIMULATOR must be true or false")).transform((v) => v === "true" || v === "1"),
    GATEHOUSE_ROLLOUT_TICK_SECONDS: optional(z.coerce.number({ error: "GATEHOUSE_ROLLOUT_TICK_SECONDS must be a number of seconds" }).min(1, "GATEHOUSE_ROLLOUT_TICK_SECONDS must be at least 1").max(3_600)).transform((v) => v ?? 10),
    // Behind a load balancer: the client's address is the right-most X-Forwarded-For entry instead of the socket's
    // peer (scripts/lib/server.mjs reads it too). Set it only when that proxy sets the header, or clients could
    // choose the address the sign-in limits count (docs/rate-limits.md).
    GATEHOUSE_TRUST_PROXY: optional(z.enum(["true", "false", "1", "0"], "GATEHOUSE_TRUST_PROXY must be true or false")).transform((v) => v === "true" || v === "1"),
    // REST requests a minute per API token (and per user for browser sessions), per instance; 0 turns the default off.
    GATEHOUSE_API_RATE_LIMIT: optional(z.coerce.number({ error: "GATEHOUSE_API_RATE_LIMIT must be a number of requests a minute" }).int("GATEHOUSE_API_RATE_LIMIT must be a whole number of requests a minute").min(0, "GATEHOUSE_API_RATE_LIMIT must be 0 (off) or more").max(1_000_000, "GATEHOUSE_API_RATE_LIMIT must be at most 1,000,000")).transform((v) => v ?? 1_200),
  })
  .superRefine((e, ctx) => {
    const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({ code: "custom", message: "OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together" });
    }
    try {
      parseRoleMap(e.OIDC_ROLE_MAP);
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["OIDC_ROLE_MAP"], message: (err as Error).message });
    }
  });

export type Env = z.infer<typeof ZEnv> & { oidcRoleMap: RoleMapping[]; oidcEnabled: boolean };

/**
 * Whether a database is configured, without validating the rest: background work starts only then (`next build`
 * and a fresh `npm start` before the database is up have none).
 */
export function databaseConfigured(): boolean {
  return Boolean(process.env.DATABASE_URL);
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`).join("; ");
    throw new Error(`Gatehouse configuration is invalid: ${problems}`);
  }
  cached = {
    ...parsed.data,
    oidcRoleMap: parseRoleMap(parsed.data.OIDC_ROLE_MAP),
    oidcEnabled: Boolean(parsed.data.OIDC_ISSUER),
  };
  return cached;
}
