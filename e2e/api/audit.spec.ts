import { expect, test } from "@playwright/test";
import { demoUser, sessionFor, unique } from "../support/api";

test("concurrent mutations from several sessions keep the audit chain intact", async ({ baseURL }) => {
  const [a, b, auditor] = await Promise.all([sessionFor(baseURL!, demoUser("admin")), sessionFor(baseURL!, demoUser("admin")), sessionFor(baseURL!, demoUser("auditor"))]);
  const before = await (await auditor.get("/api/v1/audit/verify")).json();
  expect(before.ok).toBe(true);

  const writes = Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).post("/api/v1/teams", { data: { slug: unique("c"), name: `Concurrent ${i}` } }));
  const statuses = (await Promise.all(writes)).map((r) => r.status());
  expect(statuses.every((s) => s === 201)).toBe(true);

  const after = await (await auditor.get("/api/v1/audit/verify")).json();
  expect(after).toMatchObject({ ok: true, firstBrokenId: null });
  expect(after.checked).toBeGreaterThanOrEqual(before.checked + 24);
  await Promise.all([a.dispose(), b.dispose(), auditor.dispose()]);
});
