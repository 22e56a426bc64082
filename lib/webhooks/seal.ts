import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Webhook secrets at rest. Unlike API tokens they cannot be stored as hashes: Gatehouse needs the secret itself
 * to sign every delivery. So they are encrypted with AES-256-GCM under a key derived with HKDF-SHA256 from
 * GATEHOUSE_WEBHOOK_KEY (or NEXTAUTH_SECRET); a database dump alone does not reveal them. Pure: the key
 * material is an argument (secret-store.ts reads it from the environment).
 */
const VERSION = "v1";
// Binds the ciphertext to its purpose: a value sealed here cannot be passed off as anything else.
const AAD = Buffer.from("gatehouse webhook secret");

export function deriveSecretKey(material: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(material, "utf8"), Buffer.from("gatehouse-webhooks"), Buffer.from("webhook secret encryption v1"), 32));
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url parts. A fresh 96-bit IV every time. */
export function sealSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plain secret; throws when the value was altered or sealed under another key. */
export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("Not a sealed webhook secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(AAD);
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
