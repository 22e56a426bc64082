import { describe, expect, it } from "vitest";
import { ZMarkReadInput, ZNotifyInput, ZUpdatePreferencesInput, preferencesFromForm } from "./schemas";

describe("ZMarkReadInput", () => {
  it.each([
    { body: { ids: ["a", "b"] }, ok: true },
    { body: { all: true }, ok: true },
    { body: {}, ok: false },
    { body: { ids: ["a"], all: true }, ok: false },
    { body: { ids: [] }, ok: false },
    { body: { all: false }, ok: false },
    { body: { ids: "a" }, ok: false },
    { body: { every: true }, ok: false },
  ])("$body -> ok: $ok", ({ body, ok }) => {
    expect(ZMarkReadInput.safeParse(body).success).toBe(ok);
  });
});

describe("ZUpdatePreferencesInput", () => {
  it.each([
    { name: "one channel of one event", body: { preferences: { "decision.made": { email: true } } }, error: null },
    { name: "nothing to change", body: { preferences: {} }, error: null },
    { name: "an unknown event", body: { preferences: { "model.deleted": { email: true } } }, error: "preferences" },
    { name: "an unknown channel", body: { preferences: { "decision.made": { sms: true } } }, error: "preferences.decision.made" },
    { name: "not a boolean", body: { preferences: { "decision.made": { email: "yes" } } }, error: "preferences.decision.made.email" },
    { name: "switching off a required bell", body: { preferences: { "approval.needed": { inApp: false } } }, error: "preferences.approval.needed.inApp" },
    { name: "no preferences key", body: { "decision.made": { email: true } }, error: "" },
  ])("$name", ({ body, error }) => {
    const r = ZUpdatePreferencesInput.safeParse(body);
    expect(r.success).toBe(error === null);
    if (!r.success && error) expect(r.error.issues.map((i) => i.path.join("."))).toContain(error);
  });
});

describe("ZNotifyInput", () => {
  const base = { event: "approval.needed", userIds: ["u1"], title: "T", body: "B", link: "/promotions/1" };
  it.each([
    { name: "valid", input: base, ok: true },
    { name: "an absolute URL is not a link inside Gatehouse", input: { ...base, link: "https://evil.example.com" }, ok: false },
    { name: "protocol-relative links are refused", input: { ...base, link: "//evil.example.com/x" }, ok: false },
    { name: "an empty title", input: { ...base, title: " " }, ok: false },
    { name: "an unknown event", input: { ...base, event: "approval.maybe" }, ok: false },
    { name: "no recipients is fine (Slack may still post)", input: { ...base, userIds: [] }, ok: true },
  ])("$name", ({ input, ok }) => {
    expect(ZNotifyInput.safeParse(input).success).toBe(ok);
  });

  it("fits long or unstorable text instead of failing the caller's transaction", () => {
    const parsed = ZNotifyInput.parse({ ...base, title: `  ${"t".repeat(500)}`, body: `a\0b ${"x".repeat(10_000)} \uD800` });
    expect(parsed.title).toHaveLength(200);
    expect(parsed.title.endsWith("…")).toBe(true);
    expect(parsed.body).toHaveLength(4_000);
    expect(parsed.body.startsWith("ab x")).toBe(true);
    expect(ZNotifyInput.parse({ ...base, body: "end \uD800" }).body).toBe("end \uFFFD");
  });
});

describe("preferencesFromForm", () => {
  it("reads checked boxes, keeps required bells on, and unchecked as off", () => {
    const form = new FormData();
    form.set("decision.made.email", "on");
    form.set("decision.made.inApp", "on");
    form.set("approval.needed.email", "on");
    const prefs = preferencesFromForm(form).preferences;
    expect(prefs["decision.made"]).toEqual({ inApp: true, email: true });
    expect(prefs["approval.needed"]).toEqual({ inApp: true, email: true });
    expect(prefs["review.required"]).toEqual({ inApp: true, email: false });
    expect(prefs["promotion.applied"]).toEqual({ inApp: false, email: false });
    expect(ZUpdatePreferencesInput.safeParse({ preferences: prefs }).success).toBe(true);
  });
});
