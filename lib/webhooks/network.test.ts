import { describe, expect, it } from "vitest";
import { BLOCKED_CODE, guardedLookup, webhookUrlProblem } from "./network";

// Registration resolves the name: every address must be allowed (one private address among public ones is enough to refuse).
const resolver = (table: Record<string, string[]>) => async (host: string) => {
  if (!(host in table)) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
  return table[host].map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};
const dns = resolver({
  "hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"],
  "sneaky.example.com": ["93.184.216.34", "10.0.0.7"],
  "mapped.example.com": ["::ffff:127.0.0.1"],
  "internal.example.com": ["192.168.10.20"],
  "empty.example.com": [],
});

describe("webhookUrlProblem", () => {
  it.each<[string, boolean, string | null]>([
    ["https://hooks.example.com/x", false, null],
    ["https://sneaky.example.com/x", false, "10.0.0.7"],
    ["https://mapped.example.com/x", false, "IPv4-mapped"],
    ["https://internal.example.com/x", false, "private"],
    ["https://internal.example.com/x", true, null],
    ["https://nowhere.example.com/x", false, "could not be resolved (ENOTFOUND)"],
    ["https://empty.example.com/x", false, "no address"],
    ["http://127.0.0.1:1234/x", true, null],
    ["http://127.0.0.1:1234/x", false, "loopback"],
  ])("%s (private allowed: %s)", async (url, allowPrivate, problem) => {
    const result = await webhookUrlProblem(url, { allowPrivate, resolve: dns });
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });
});

describe("guardedLookup (the socket's own lookup at delivery time)", () => {
  const lookup = (allowPrivate: boolean, host: string) =>
    new Promise<{ err: (Error & { code?: string }) | null; address: unknown }>((resolve) => {
      guardedLookup(allowPrivate)(host, { all: false }, (err, address) => resolve({ err, address }));
    });

  it("refuses to connect to a name that resolves to loopback, unless private addresses are allowed", async () => {
    const refused = await lookup(false, "localhost");
    expect(refused.err?.code).toBe(BLOCKED_CODE);
    expect(refused.err?.message).toMatch(/localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
    const allowed = await lookup(true, "localhost");
    expect(allowed.err).toBeNull();
    expect(["127.0.0.1", "::1"]).toContain(allowed.address);
  });
});
