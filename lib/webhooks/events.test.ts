import { describe, expect, it } from "vitest";
import { isFilterEntry, matchesEventFilter, normalizeFilter, TEST_EVENT, WEBHOOK_EVENTS } from "./events";

describe("event filters", () => {
  it.each<[string[], string, boolean]>([
    [["promotion.applied"], "promotion.applied", true],
    [["promotion.applied"], "promotion.requested", false],
    [["promotion.*"], "promotion.rolled_back", true],
    [["promotion.*"], "alias.changed", false],
    [["alias.*", "review.required"], "review.required", true],
    [["*"], "alias.changed", true],
    [["*"], "rollout.started", true],
    [[], "promotion.applied", false],
    // A family wildcard is not a prefix match on the name: "promotion.*" does not catch "promotions.x".
    [["promotion.*"], "promotions.applied", false],
    [["promotion.applied"], TEST_EVENT, false],
  ])("%j gets %s: %s", (filter, event, want) => {
    expect(matchesEventFilter(filter, event)).toBe(want);
  });

  it.each<[string, boolean]>([
    ...WEBHOOK_EVENTS.map((e) => [e, true] as [string, boolean]),
    ["*", true],
    ["promotion.*", true],
    ["alias.*", true],
    ["promotion.deleted", false],
    ["nope.*", false],
    ["promotion.**", false],
    ["", false],
    [TEST_EVENT, false],
  ])("%s is a valid filter entry: %s", (entry, want) => {
    expect(isFilterEntry(entry)).toBe(want);
  });

  it("stores filters sorted and without duplicates; * alone covers the rest", () => {
    expect(normalizeFilter(["promotion.applied", "alias.changed", "promotion.applied"])).toEqual(["alias.changed", "promotion.applied"]);
    expect(normalizeFilter(["alias.changed", "*"])).toEqual(["*"]);
  });
});
