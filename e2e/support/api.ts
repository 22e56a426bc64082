import { expect, request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import demo from "../../prisma/demo-users.json";

export const DEMO_PASSWORD = demo.password;
export const demoUser = (role: "admin" | "lead" | "compliance" | "engineer" | "auditor" | "viewer") => `${role}@gatehouse.local`;

export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/** Signs in through next-auth's credentials endpoint and returns a request context carrying the session cookie. */
export async function sessionFor(baseURL: string, email: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const csrf = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await ctx.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken: csrf.csrfToken, json: "true" },
    maxRedirects: 0,
  });
  const me = await ctx.get("/api/v1/me");
  if (me.status() !== 200) throw new Error(`sign-in as ${email} failed (${me.status()})`);
  return ctx;
}

/** A request context that sends `token` as a Bearer token. */
export async function tokenClient(baseURL: string, token: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
}

export async function expectError(res: APIResponse, status: number, code?: string) {
  expect(res.status(), await res.text()).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; details?: { path: string; message: string }[] } };
  expect(body.error.message).toBeTruthy();
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/);
  if (code) expect(body.error.code).toBe(code);
  return body;
}
