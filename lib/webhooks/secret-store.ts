import "server-only";
import { env } from "@/lib/env";
import { deriveSecretKey, openSecret, sealSecret } from "./seal";

// Derived once per process: HKDF is cheap, but every delivery would otherwise repeat it.
let cached: { material: string; key: Buffer } | undefined;

function key(): Buffer {
  const config = env();
  const material = config.GATEHOUSE_WEBHOOK_KEY ?? config.NEXTAUTH_SECRET;
  if (cached?.material !== material) cached = { material, key: deriveSecretKey(material) };
  return cached.key;
}

export function encryptWebhookSecret(plain: string): string {
  return sealSecret(key(), plain);
}

/** Null when the stored value cannot be opened: the key changed since it was sealed (rotate the secret). */
export function decryptWebhookSecret(sealed: string): string | null {
  try {
    return openSecret(key(), sealed);
  } catch {
    return null;
  }
}

/** Other secrets Gatehouse must send on, not just check (MLflow connector tokens), are sealed with the same key. */
export const sealStoredSecret = encryptWebhookSecret;
export const openStoredSecret = decryptWebhookSecret;
