import "server-only";
import { env } from "@/lib/env";

/** An absolute link for people to open: on the configured public URL when there is one, else as requested. */
export function publicUrl(path: string, request: Request): string {
  return new URL(path, env().NEXTAUTH_URL ?? request.url).toString();
}
