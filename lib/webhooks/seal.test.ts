import { describe, expect, it } from "vitest";
import { deriveSecretKey, openSecret, sealSecret } from "./seal";

describe("webhook secrets at rest", () => {
  const key = deriveSecretKey("x".repeat(32));

  it("round-trips, with a fresh IV each time and nothing of the secret in the sealed text", () => {
    const secret = "whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const a = sealSecret(key, secret);
    const b = sealSecret(key, secret);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain("abcdefghij");
    expect(openSecret(key, a)).toBe(secret);
  });

  it("refuses another key, an altered ciphertext and garbage", () => {
    const sealed = sealSecret(key, "whsec_secret");
    expect(() => openSecret(deriveSecretKey("y".repeat(32)), sealed)).toThrow();
    const [v, iv, tag, body] = sealed.split(".");
    const flipped = Buffer.from(body, "base64url");
    flipped[0] ^= 1;
    expect(() => openSecret(key, [v, iv, tag, flipped.toString("base64url")].join("."))).toThrow();
    expect(() => openSecret(key, "not sealed")).toThrow();
  });

  it("derives a 256-bit key that depends on the material", () => {
    expect(deriveSecretKey("a".repeat(32))).toHaveLength(32);
    expect(deriveSecretKey("a".repeat(32)).equals(deriveSecretKey("b".repeat(32)))).toBe(false);
  });
});
