import { createHash, randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";

/**
 * API tokens are 32 random bytes, shown once, stored only as a SHA-256 hash: they are high-entropy, so a
 * fast hash is safe and lets the lookup be an indexed equality. Passwords are low-entropy and get bcrypt.
 */
export const TOKEN_PREFIX = "ghk_";

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** What the UI shows to tell tokens apart: the type prefix and the first few random characters. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

export function looksLikeToken(value: string): boolean {
  return /^ghk_[A-Za-z0-9_-]{43}$/.test(value);
}

const BCRYPT_COST = 11;
// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
const DUMMY_HASH = bcrypt.hashSync("gatehouse-dummy-password", BCRYPT_COST);

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export async function checkPassword(password: string, hash: string | null): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && hash !== null;
}
