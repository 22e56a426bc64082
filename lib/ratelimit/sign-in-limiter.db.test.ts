import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { lockoutAuditsWritten, signInWithPassword } from "@/lib/auth/sign-in";
import { createUser } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { pruneSignInThrottles } from "./sign-in-limiter";

// The sign-in limits against the real PostgreSQL, on a fake clock: what someone signing in would see.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const admin: Actor = { kind: "system", label: "sign-in-limit-test" };
const suffix = Date.now().toString(36);
const PASSWORD = "the-right-password-1";
const T0 = new Date("2030-01-01T09:00:00Z").getTime();
const at = (seconds: number) => new Date(T0 + seconds * 1000);
let n = 0;
/** A fresh address for each test, so their counts never mix. */
const freshIp = () => `198.51.${100 + (Date.now() % 100)}.${++n}`;

async function user(name: string) {
  const email = `${name}-${suffix}@example.com`;
  await createUser({ actor: admin, input: { email, name, password: PASSWORD, roles: [] } });
  return email;
}

/** The outcome as a person sees it: signed in, refused, or told to wait so many seconds. */
async function attempt(email: string, password: string, ip: string, seconds: number): Promise<"signed in" | "refused" | number> {
  const now = at(seconds);
  const r = await signInWithPassword({ email, password, ip, now });
  if (r.ok) return "signed in";
  return r.retryAt ? (r.retryAt.getTime() - now.getTime()) / 1000 : "refused";
}

describe.skipIf(!hasDb)("sign-in limits", () => {
  beforeAll(async () => {
    await db.signInThrottle.deleteMany({});
  });
  afterAll(async () => {
    await lockoutAuditsWritten();
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  it("five wrong passwords lock the account, even against the right one, with a wait that doubles", async () => {
    const email = await user("ada");
    const ip = freshIp();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await attempt(email, "wrong-password", ip, i));
    expect(outcomes).toEqual(["refused", "refused", "refused", "refused", "refused"]);
    // The fifth failure was at 4 s: 30 s from it.
    expect(await attempt(email, PASSWORD, ip, 5)).toBe(29);
    expect(await attempt(email, PASSWORD, freshIp(), 20)).toBe(14);
    // Once the wait is over a guess is checked again; wrong, it doubles the wait.
    expect(await attempt(email, "wrong-password", ip, 34)).toBe("refused");
    expect(await attempt(email, PASSWORD, ip, 35)).toBe(59);
    expect(await attempt(email, PASSWORD, ip, 94)).toBe("signed in");
  });

  it("the right password clears the account's streak", async () => {
    const email = await user("bea");
    const ip = freshIp();
    for (let i = 0; i < 4; i++) expect(await attempt(email, "wrong-password", ip, i)).toBe("refused");
    expect(await attempt(email, PASSWORD, ip, 10)).toBe("signed in");
    for (let i = 0; i < 4; i++) expect(await attempt(email, "wrong-password", ip, 20 + i)).toBe("refused");
    expect(await attempt(email, PASSWORD, ip, 30)).toBe("signed in");
  });

  it("a streak is forgotten 15 minutes after its lockout ends", async () => {
    const email = await user("cy");
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await attempt(email, "wrong-password", ip, i);
    // Locked until 34 s; forgotten from 34 + 900 s: four more wrong ones are free again, the fifth locks.
    for (let i = 0; i < 4; i++) expect(await attempt(email, "wrong-password", ip, 934 + i)).toBe("refused");
    expect(await attempt(email, "wrong-password", ip, 938)).toBe("refused");
    expect(await attempt(email, PASSWORD, ip, 939)).toBe(29);
    // Each streak's lockout is its own audit event.
    await lockoutAuditsWritten();
    const { id } = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await db.auditEvent.count({ where: { action: "user.sign-in-locked", targetId: id } })).toBe(2);
  });

  it("an unknown email is answered exactly like a real account", async () => {
    const real = await user("dee");
    const unknown = `nobody-${suffix}@example.com`;
    const ip = freshIp();
    const seen: Record<string, unknown[]> = { real: [], unknown: [] };
    for (const [label, email] of [["real", real], ["unknown", unknown]] as const) {
      for (let i = 0; i < 5; i++) seen[label].push(await attempt(email, "wrong-password", ip, i));
      seen[label].push(await attempt(email, "any-password", ip, 10));
    }
    expect(seen.unknown).toEqual(seen.real);
    expect(seen.real.at(-1)).toBe(24);
    expect(await db.signInThrottle.findUnique({ where: { kind_key: { kind: "account", key: unknown } } })).toMatchObject({ failures: 5 });
  });

  it("a lockout of a real account is audited once, with the address; an unknown email's is not", async () => {
    const email = await user("eve");
    const ip = freshIp();
    const target = await db.user.findUniqueOrThrow({ where: { email } });
    // Five in a row lock it (until 34 s); two more, each as soon as allowed, keep it locked without a new entry.
    for (const seconds of [0, 1, 2, 3, 4, 34, 94]) expect(await attempt(email, "wrong-password", ip, seconds)).toBe("refused");
    for (let i = 0; i < 5; i++) await attempt(`ghost-${suffix}@example.com`, "wrong-password", ip, 10_000 + i);
    // Written after the answer (so it takes no longer than an unknown email's): wait for it to land.
    await lockoutAuditsWritten();
    expect(await db.auditEvent.count({ where: { action: "user.sign-in-locked", targetId: target.id } })).toBe(1);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.sign-in-locked", targetId: target.id } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "sign-in limiter", after: { email, failures: 5, ip, lockedUntil: at(34).toISOString() } });
    expect(await db.auditEvent.count({ where: { action: "user.sign-in-locked", after: { path: ["email"], equals: `ghost-${suffix}@example.com` } } })).toBe(0);
  });

  it("30 failures from one address lock it for 15 minutes, whatever the account; other addresses go on", async () => {
    const email = await user("fay");
    const ip = freshIp();
    for (let i = 0; i < 30; i++) expect(await attempt(`spray-${i}-${suffix}@example.com`, "wrong-password", ip, i)).toBe("refused");
    expect(await attempt(email, PASSWORD, ip, 40)).toBe(889);
    expect(await attempt(email, PASSWORD, freshIp(), 41)).toBe("signed in");
    expect(await attempt(email, PASSWORD, ip, 29 + 900)).toBe("signed in");
  });

  it("a right password does not clear its address's count, but is not counted against it either", async () => {
    const email = await user("gil");
    const ip = freshIp();
    for (let i = 0; i < 29; i++) await attempt(`typo-${i}-${suffix}@example.com`, "wrong-password", ip, i);
    expect(await attempt(email, PASSWORD, ip, 30)).toBe("signed in");
    expect(await attempt(`typo-last-${suffix}@example.com`, "wrong-password", ip, 31)).toBe("refused");
    expect(await attempt(email, PASSWORD, ip, 32)).toBe(899);
  });

  it("parallel guesses cannot slip past the limit: each one takes a slot before its password is checked", async () => {
    const email = await user("hal");
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => attempt(email, "wrong-password", freshIp(), 0)));
    expect(outcomes.filter((o) => o === "refused")).toHaveLength(5);
    expect(outcomes.filter((o) => o === 30)).toHaveLength(7);
  });

  it("rows the policy no longer reads are pruned", async () => {
    const ip = freshIp();
    await attempt(`old-${suffix}@example.com`, "wrong-password", ip, 0);
    await attempt(`new-${suffix}@example.com`, "wrong-password", ip, 600);
    const keys = async () => (await db.signInThrottle.findMany({ where: { key: { in: [`old-${suffix}@example.com`, `new-${suffix}@example.com`] } } })).map((r) => r.key);
    // Half an hour after its last failure a row goes.
    await pruneSignInThrottles({ now: at(1_800) });
    expect((await keys()).sort()).toEqual([`new-${suffix}@example.com`, `old-${suffix}@example.com`]);
    await pruneSignInThrottles({ now: at(1_801) });
    expect(await keys()).toEqual([`new-${suffix}@example.com`]);
    await pruneSignInThrottles({ now: at(2_401) });
    expect(await keys()).toEqual([]);
  });
});
