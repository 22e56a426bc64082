import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { addressProblem, checkUrlShape, refusal } from "./address";

/**
 * The DNS half of the outbound-address rule (address.ts is the pure half). A name is allowed only when every
 * address it resolves to is; at delivery the connection is made to the very address that was checked (the
 * lookup below is the socket's own), so a name that resolves to a public address at registration and to
 * 127.0.0.1 later (DNS rebinding) is refused then too.
 */
export const BLOCKED_CODE = "EGATEHOUSE_BLOCKED_ADDRESS";
const RESOLVE_TIMEOUT_MS = 5_000;

type Resolved = { address: string; family: number }[];
type Resolver = (host: string) => Promise<Resolved>;

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** The first address among `addresses` that may not be called, as a sentence; null when all may. */
export function blockedAmong(host: string, addresses: readonly { address: string }[], allowPrivate: boolean): string | null {
  for (const { address } of addresses) {
    const problem = addressProblem(address);
    if (problem && !(allowPrivate && problem.kind === "private")) return refusal(host === address ? host : `${host} (${address})`, problem);
  }
  return null;
}

/**
 * Registration-time check of a URL: its shape, then (for a name) every address it resolves to now. Returns the
 * problem as a sentence for the "url" field, or null.
 */
export async function webhookUrlProblem(raw: string, o: { allowPrivate: boolean; resolve?: Resolver }): Promise<string | null> {
  const shape = checkUrlShape(raw, o.allowPrivate);
  if (!shape.ok) return shape.message;
  if (shape.parsed.literal) return null;
  const host = shape.parsed.host;
  let addresses: Resolved;
  try {
    addresses = await withTimeout((o.resolve ?? systemResolver)(host), RESOLVE_TIMEOUT_MS);
  } catch (err) {
    const code = (err as { code?: string }).code;
    return `${host} could not be resolved${code ? ` (${code})` : ""}; check the name`;
  }
  if (addresses.length === 0) return `${host} resolves to no address`;
  return blockedAmong(host, addresses, o.allowPrivate);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("DNS lookup timed out"), { code: "ETIMEOUT" })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A `lookup` for http.request: resolves like the system does, then refuses the connection (error code
 * BLOCKED_CODE) when any address is not allowed. IP literals never reach a lookup; deliver checks them first.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = addresses as dns.LookupAddress[];
      const blocked = blockedAmong(hostname, list, allowPrivate) ?? (list.length ? null : `${hostname} resolves to no address`);
      if (blocked) return callback(Object.assign(new Error(blocked), { code: BLOCKED_CODE }));
      if (options.all) callback(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  }) as LookupFunction;
}
