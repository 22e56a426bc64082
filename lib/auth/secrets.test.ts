import { describe, expect, it } from "vitest";
import { checkPassword, generateToken, hashPassword, hashToken, looksLikeToken, tokenDisplayPrefix } from "./secrets";

describe("API tokens", () => {
  it("are unique, recognisable and hashed deterministically", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).not.toBe(b);
    expect(looksLikeToken(a)).toBe(true);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toContain(a.slice(4));
    expect(tokenDisplayPrefix(a)).toBe(a.slice(0, 10));
  });

  it.each(["", "ghk_short", "Bearer ghk_x", "ghk_" + "a".repeat(42) + "!"])("rejects %j as a token", (value) => {
    expect(looksLikeToken(value)).toBe(false);
  });
});

describe("passwords", () => {
  it("verify only the password they were made from", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$2[aby]\$11\$/);
    expect(await checkPassword("correct horse battery", hash)).toBe(true);
    expect(await checkPassword("correct horse batterY", hash)).toBe(false);
    expect(await checkPassword("anything", null)).toBe(false);
  });
});
