// Which address a request comes from, worked out once by the HTTP server (scripts/lib/server.mjs) and handed to
// the app in a header of its own. Plain JS: the server runs outside Next.
import { isIP } from "node:net";

/** Set by the server on every request, over any value the client sent; the sign-in limiter keys on it. */
export const CLIENT_IP_HEADER = "x-gatehouse-client-ip";

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1; anything that is not an address is null. */
function normalize(value) {
  if (typeof value !== "string") return null;
  let v = value.trim();
  // Some proxies write "[2001:db8::1]:443" or "10.0.0.1:5678".
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(v);
  if (mapped) v = mapped[1];
  return isIP(v) ? v.toLowerCase() : null;
}

/**
 * The client's address: the socket's peer, or with `trustProxy` (Gatehouse behind a load balancer) the right-most
 * X-Forwarded-For entry. A load balancer appends the address it saw connecting to whatever the client sent, so the
 * right-most entry is the one our own proxy wrote and every entry left of it may be forged. (Behind two proxies the
 * right-most would be the first proxy; put Gatehouse behind one, or have the outer one set the header alone.) An
 * empty or unreadable entry falls back to the socket.
 * @param {{ remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: boolean }} o
 * @returns {string} an address, or "unknown" when even the socket has none (a closed connection)
 */
export function clientIp({ remoteAddress, forwardedFor, trustProxy }) {
  if (trustProxy && forwardedFor) {
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
    const entries = header.split(",");
    const last = normalize(entries[entries.length - 1]);
    if (last) return last;
  }
  return normalize(remoteAddress) ?? "unknown";
}

/**
 * What the per-address limits count: an IPv4 address, or an IPv6 client's /64 (one machine usually holds a whole
 * /64, so counting single IPv6 addresses would let it rotate through billions). Null for anything else.
 * @param {string | null | undefined} ip
 * @returns {string | null}
 */
export function ipLimitKey(ip) {
  const v = normalize(ip ?? undefined);
  if (!v) return null;
  if (isIP(v) === 4) return v;
  const [head, tail = ""] = v.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail ("::1.2.3.4") sits in the low 64 bits, which the key drops anyway.
  const groups = v.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * GATEHOUSE_TRUST_PROXY as the server reads it (lib/env.ts validates the same values for the app).
 * @param {string | undefined} value
 * @returns {boolean}
 */
export function trustProxyFrom(value) {
  if (value === undefined || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw new Error("GATEHOUSE_TRUST_PROXY must be true or false");
}
