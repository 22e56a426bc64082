import { afterEach, describe, expect, it, vi } from "vitest";

// The notification settings in lib/env.ts: each value read once, validated, and never echoed back in an error.
const base = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db", NEXTAUTH_SECRET: "x".repeat(32) };
const saved = { ...process.env };

async function load(extra: Partial<Record<string, string>>) {
  for (const k of ["SMTP_URL", "SMTP_FROM", "SLACK_WEBHOOK_URL"]) delete process.env[k];
  Object.assign(process.env, base, extra);
  vi.resetModules();
  return (await import("./env")).env;
}

describe("notification settings", () => {
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it.each([
    { name: "nothing set", extra: {}, want: { SMTP_URL: undefined, SMTP_FROM: "Gatehouse <gatehouse@localhost>", SLACK_WEBHOOK_URL: undefined } },
    { name: "empty values mean unset", extra: { SMTP_URL: "", SMTP_FROM: "", SLACK_WEBHOOK_URL: "" }, want: { SMTP_URL: undefined, SMTP_FROM: "Gatehouse <gatehouse@localhost>", SLACK_WEBHOOK_URL: undefined } },
    { name: "smtp with credentials", extra: { SMTP_URL: "smtp://mailer:pw@mail.example.com:587" }, want: { SMTP_URL: "smtp://mailer:pw@mail.example.com:587" } },
    { name: "smtps and a sender", extra: { SMTP_URL: "smtps://mail.example.com", SMTP_FROM: "Gatehouse <ml@example.com>" }, want: { SMTP_URL: "smtps://mail.example.com", SMTP_FROM: "Gatehouse <ml@example.com>" } },
    { name: "a Slack webhook", extra: { SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" }, want: { SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" } },
  ])("accepts $name", async ({ extra, want }) => {
    const c = (await load(extra))();
    expect({ SMTP_URL: c.SMTP_URL, SMTP_FROM: c.SMTP_FROM, SLACK_WEBHOOK_URL: c.SLACK_WEBHOOK_URL }).toMatchObject(want);
  });

  it.each([
    { name: "an http URL for SMTP", extra: { SMTP_URL: "http://mail.example.com" }, message: "SMTP_URL must be an smtp:// or smtps:// URL" },
    { name: "a bare host for SMTP", extra: { SMTP_URL: "mail.example.com:25" }, message: "SMTP_URL must be" },
    { name: "a webhook that is not a URL", extra: { SLACK_WEBHOOK_URL: "hooks.slack.com/services/T/B/x" }, message: "SLACK_WEBHOOK_URL must be" },
    { name: "a webhook on another protocol", extra: { SLACK_WEBHOOK_URL: "ftp://hooks.example.com/x" }, message: "SLACK_WEBHOOK_URL must be" },
  ])("refuses $name, without repeating the value", async ({ extra, message }) => {
    const env = await load(extra);
    expect(() => env()).toThrow(message);
    try {
      env();
    } catch (err) {
      for (const value of Object.values(extra)) expect((err as Error).message).not.toContain(value!);
    }
  });
});

describe("webhook settings", () => {
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  const clean = () => {
    delete process.env.GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE;
    delete process.env.GATEHOUSE_WEBHOOK_KEY;
  };

  it.each([
    [undefined, false],
    ["", false],
    ["false", false],
    ["0", false],
    ["true", true],
    ["1", true],
  ])("GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE=%s allows private addresses: %s", async (value, want) => {
    clean();
    const env = await load(value === undefined ? {} : { GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE: value });
    expect(env().GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE).toBe(want);
  });

  it("refuses other spellings and a short encryption key, without repeating the key", async () => {
    clean();
    const spelled = await load({ GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE: "yes" });
    expect(() => spelled()).toThrow("GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE must be true or false");
    clean();
    const env = await load({ GATEHOUSE_WEBHOOK_KEY: "short-key-1234" });
    expect(() => env()).toThrow("GATEHOUSE_WEBHOOK_KEY must be at least 32 characters");
    expect(() => env()).not.toThrow("short-key-1234");
  });
});

describe("rate limit settings", () => {
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  const clean = () => {
    delete process.env.GATEHOUSE_TRUST_PROXY;
    delete process.env.GATEHOUSE_API_RATE_LIMIT;
  };

  it.each([
    [{}, false, 1_200],
    [{ GATEHOUSE_TRUST_PROXY: "", GATEHOUSE_API_RATE_LIMIT: "" }, false, 1_200],
    [{ GATEHOUSE_TRUST_PROXY: "true", GATEHOUSE_API_RATE_LIMIT: "600" }, true, 600],
    [{ GATEHOUSE_TRUST_PROXY: "0", GATEHOUSE_API_RATE_LIMIT: "0" }, false, 0],
  ])("%j reads as trust proxy %s, %s requests a minute", async (extra, trust, limit) => {
    clean();
    const c = (await load(extra))();
    expect(c.GATEHOUSE_TRUST_PROXY).toBe(trust);
    expect(c.GATEHOUSE_API_RATE_LIMIT).toBe(limit);
  });

  it.each([
    [{ GATEHOUSE_TRUST_PROXY: "yes" }, "GATEHOUSE_TRUST_PROXY must be true or false"],
    [{ GATEHOUSE_API_RATE_LIMIT: "-1" }, "GATEHOUSE_API_RATE_LIMIT must be 0 (off) or more"],
    [{ GATEHOUSE_API_RATE_LIMIT: "12.5" }, "GATEHOUSE_API_RATE_LIMIT must be a whole number"],
    [{ GATEHOUSE_API_RATE_LIMIT: "lots" }, "GATEHOUSE_API_RATE_LIMIT must be a number"],
  ])("refuses %j", async (extra, message) => {
    clean();
    const env = await load(extra);
    expect(() => env()).toThrow(message);
  });
});
