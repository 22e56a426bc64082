import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/errors";
import { decodeCursor, encodeCursor, pageArgs, toPage } from "./pagination";

describe("pagination", () => {
  it("round-trips a cursor", () => {
    expect(decodeCursor(encodeCursor("ada@example.com"))).toBe("ada@example.com");
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each(["not-base64!", Buffer.from("[1]").toString("base64url"), Buffer.from('{"k":3}').toString("base64url")])(
    "refuses a forged cursor %j with a 400",
    (cursor) => {
      try {
        decodeCursor(cursor);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).status).toBe(400);
      }
    },
  );

  it.each([
    ["a full page with more after it", [1, 2, 3, 4], 3, { items: [1, 2, 3], more: true }],
    ["exactly one page", [1, 2, 3], 3, { items: [1, 2, 3], more: false }],
    ["a short page", [1], 3, { items: [1], more: false }],
    ["nothing", [], 3, { items: [], more: false }],
  ])("%s", (_name, rows, limit, expected) => {
    const page = toPage(rows as number[], limit as number, String);
    expect(page.items).toEqual(expected.items);
    expect(page.nextCursor !== null).toBe(expected.more);
    if (page.nextCursor) expect(decodeCursor(page.nextCursor)).toBe(String(expected.items.at(-1)));
  });

  it("builds Prisma arguments that skip the cursor row", () => {
    expect(pageArgs("email", undefined, 10)).toEqual({ take: 11 });
    expect(pageArgs("email", encodeCursor("b@x.io"), 10)).toEqual({ take: 11, cursor: { email: "b@x.io" }, skip: 1 });
  });
});
