import "server-only";
import { env } from "@/lib/env";

/** An absolute link for people to open: on the configured public URL when there is one, else as requested. */
export function publicUrl(path: string, request: Request): string {
  return new URL(path, env().NEXTAUTH_URL ?? request.url).toString();
}

// `npm start` always sets NEXTAUTH_URL; this is only for a server started without it.
const FALLBACK_BASE = "http://localhost:3000";

/**
 * An absolute link when there is no request to go by (emails and Slack posts sent from the outbox): the
 * configured public URL, so set NEXTAUTH_URL for links that work outside this machine.
 */
export function appUrl(path: string): string {
  return new URL(path, env().NEXTAUTH_URL ?? FALLBACK_BASE).toString();
}
