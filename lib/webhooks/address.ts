import { isIP } from "node:net";

/**
 * Which addresses a webhook may be sent to. An admin types a URL and Gatehouse's server calls it, so without
 * this a URL could make the server probe its own network (SSRF): the cloud metadata service at 169.254.169.254,
 * a database on localhost, an internal admin page. Pure; lib/webhooks/network.ts applies it to every address a
 * name resolves to, at registration and again at each delivery.
 *
 * "private" problems (loopback, private, shared, link-local, unique-local) are allowed by the admin setting
 * GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE; "reserved" ones (unspecified, multicast, documentation, …) never are.
 */
export type AddressProblem = { kind: "private" | "reserved"; reason: string };

type V4Range = [base: string, bits: number, kind: AddressProblem["kind"], reason: string];

// First match wins: the cloud metadata services stay refused even where private addresses are allowed.
const V4_RANGES: V4Range[] = [
  ["169.254.169.254", 32, "reserved", "a cloud metadata service address"],
  ["169.254.170.2", 32, "reserved", "a cloud metadata service address"],
  ["0.0.0.0", 8, "reserved", "an unspecified (\"this network\") address"],
  ["10.0.0.0", 8, "private", "a private address"],
  ["100.64.0.0", 10, "private", "a shared (carrier-grade NAT) address"],
  ["127.0.0.0", 8, "private", "a loopback address"],
  ["169.254.0.0", 16, "private", "a link-local address"],
  ["172.16.0.0", 12, "private", "a private address"],
  ["192.0.0.0", 24, "reserved", "an IETF protocol address"],
  ["192.0.2.0", 24, "reserved", "a documentation address"],
  ["192.88.99.0", 24, "reserved", "a 6to4 relay address"],
  ["192.168.0.0", 16, "private", "a private address"],
  ["198.18.0.0", 15, "reserved", "a benchmarking address"],
  ["198.51.100.0", 24, "reserved", "a documentation address"],
  ["203.0.113.0", 24, "reserved", "a documentation address"],
  ["224.0.0.0", 4, "reserved", "a multicast address"],
  ["240.0.0.0", 4, "reserved", "a reserved or broadcast address"],
];

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Problem(value: number): AddressProblem | null {
  for (const [base, bits, kind, reason] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base);
    if (value >= start && value < start + size) return { kind, reason };
  }
  return null;
}

/** An IPv6 address as a 128-bit number; handles "::", an embedded dotted IPv4 tail and a zone ("%eth0"). */
function v6ToBigInt(ip: string): bigint {
  let s = ip.split("%")[0];
  const tail = s.lastIndexOf(":");
  if (s.slice(tail + 1).includes(".")) {
    const v4 = v4ToInt(s.slice(tail + 1));
    s = `${s.slice(0, tail + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = s.split("::");
  const h = head ? head.split(":") : [];
  const r = rest === undefined ? null : rest ? rest.split(":") : [];
  const groups = r === null ? h : [...h, ...Array<string>(8 - h.length - r.length).fill("0"), ...r];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const v6 = (prefix: string, bits: number) => ({ value: v6ToBigInt(prefix), bits: BigInt(bits) });
const inV6 = (value: bigint, net: { value: bigint; bits: bigint }) => value >> (128n - net.bits) === net.value >> (128n - net.bits);
const low32 = (value: bigint) => Number(value & 0xffffffffn);

type V6Rule = { net: { value: bigint; bits: bigint }; problem?: AddressProblem; embedded?: (value: bigint) => number; label?: string };

// Order matters: the first matching rule decides. Prefixes that carry an IPv4 address are judged by that address.
const V6_RULES: V6Rule[] = [
  { net: v6("::", 128), problem: { kind: "reserved", reason: "the unspecified address" } },
  { net: v6("::1", 128), problem: { kind: "private", reason: "a loopback address" } },
  { net: v6("fd00:ec2::254", 128), problem: { kind: "reserved", reason: "a cloud metadata service address" } },
  { net: v6("::ffff:0:0", 96), embedded: low32, label: "IPv4-mapped" },
  { net: v6("::", 96), embedded: low32, label: "IPv4-compatible" },
  { net: v6("64:ff9b::", 96), embedded: low32, label: "NAT64" },
  { net: v6("64:ff9b:1::", 48), problem: { kind: "private", reason: "a local-use NAT64 address" } },
  { net: v6("100::", 64), problem: { kind: "reserved", reason: "a discard-only address" } },
  { net: v6("2001:db8::", 32), problem: { kind: "reserved", reason: "a documentation address" } },
  { net: v6("2001::", 23), problem: { kind: "reserved", reason: "an IETF protocol address" } },
  { net: v6("2002::", 16), embedded: (v) => Number((v >> 80n) & 0xffffffffn), label: "6to4" },
  { net: v6("fc00::", 7), problem: { kind: "private", reason: "a unique-local address" } },
  { net: v6("fe80::", 10), problem: { kind: "private", reason: "a link-local address" } },
  { net: v6("fec0::", 10), problem: { kind: "private", reason: "a site-local address" } },
  { net: v6("ff00::", 8), problem: { kind: "reserved", reason: "a multicast address" } },
];
const GLOBAL_UNICAST = v6("2000::", 3);

function v6Problem(value: bigint): AddressProblem | null {
  for (const rule of V6_RULES) {
    if (!inV6(value, rule.net)) continue;
    if (rule.problem) return rule.problem;
    const inner = v4Problem(rule.embedded!(value));
    return inner && { kind: inner.kind, reason: `${inner.reason} (${rule.label})` };
  }
  return inV6(value, GLOBAL_UNICAST) ? null : { kind: "reserved", reason: "not a global unicast address" };
}

/** Why `ip` must not be called (null: a public address). Anything that is not an IP address is refused. */
export function addressProblem(ip: string): AddressProblem | null {
  const bare = ip.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(bare.split("%")[0]);
  if (family === 4) return v4Problem(v4ToInt(bare));
  if (family === 6) return v6Problem(v6ToBigInt(bare));
  return { kind: "reserved", reason: "not an IP address" };
}

export function isAllowedAddress(ip: string, allowPrivate: boolean): boolean {
  const problem = addressProblem(ip);
  return problem === null || (allowPrivate && problem.kind === "private");
}

export const MAX_URL_LENGTH = 2_000;

export type ParsedWebhookUrl = { url: URL; host: string; literal: boolean };

/**
 * A webhook URL's shape, before any DNS: http(s), no credentials (they would show in the admin pages and audit
 * log; use the signature instead), and for an IP literal or a localhost name, an address that may be called.
 * Returns the problem as a sentence, or the parsed URL.
 */
export function checkUrlShape(raw: string, allowPrivate: boolean): { ok: true; parsed: ParsedWebhookUrl } | { ok: false; message: string } {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, message: `Use at most ${MAX_URL_LENGTH} characters` };
  if (!URL.canParse(raw)) return { ok: false, message: "Enter a full URL, e.g. https://hooks.example.com/gatehouse" };
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Use an https:// (or http://) URL" };
  if (url.username || url.password) return { ok: false, message: "Leave credentials out of the URL; receivers check the signature instead" };
  // WHATWG URL parsing has already turned "2130706433", "0x7f.1" and friends into dotted IPv4.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const literal = isIP(host) !== 0;
  const local = /^localhost\.?$/i.test(host) || /\.localhost\.?$/i.test(host);
  const problem = literal ? addressProblem(host) : local ? ({ kind: "private", reason: "a loopback address" } as const) : null;
  if (problem && !(allowPrivate && problem.kind === "private")) return { ok: false, message: refusal(url.hostname, problem) };
  return { ok: true, parsed: { url, host, literal } };
}

export function refusal(host: string, problem: AddressProblem): string {
  const hint = problem.kind === "private" ? " (an admin can allow private addresses with GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE=true)" : "";
  return `${host} is ${problem.reason}; webhooks go only to public addresses${hint}`;
}
