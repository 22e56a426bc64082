import { describe, expect, it } from "vitest";
import { addressProblem, checkUrlShape, isAllowedAddress } from "./address";

// Which addresses a webhook may be sent to. "private" is allowed only with GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE.
describe("addressProblem", () => {
  it.each<[string, "public" | "private" | "reserved", string?]>([
    // IPv4
    ["93.184.216.34", "public"],
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["127.0.0.1", "private", "loopback"],
    ["127.255.255.254", "private", "loopback"],
    ["10.0.0.1", "private", "private"],
    ["172.16.0.1", "private", "private"],
    ["172.31.255.255", "private", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.10", "private", "private"],
    ["169.254.169.254", "reserved", "cloud metadata"],
    ["169.254.10.1", "private", "link-local"],
    ["100.64.0.1", "private", "carrier-grade"],
    ["100.128.0.1", "public"],
    ["0.0.0.0", "reserved", "unspecified"],
    ["0.1.2.3", "reserved", "unspecified"],
    ["224.0.0.1", "reserved", "multicast"],
    ["255.255.255.255", "reserved", "broadcast"],
    ["192.0.2.5", "reserved", "documentation"],
    ["198.18.0.1", "reserved", "benchmarking"],
    // IPv6
    ["2606:4700:4700::1111", "public"],
    ["2001:4860:4860::8888", "public"],
    ["::1", "private", "loopback"],
    ["0:0:0:0:0:0:0:1", "private", "loopback"],
    ["::", "reserved", "unspecified"],
    ["fe80::1", "private", "link-local"],
    ["fe80::1%eth0", "private", "link-local"],
    ["febf:ffff::1", "private", "link-local"],
    ["fc00::1", "private", "unique-local"],
    ["fd12:3456:789a::1", "private", "unique-local"],
    ["fec0::1", "private", "site-local"],
    ["ff02::1", "reserved", "multicast"],
    ["2001:db8::1", "reserved", "documentation"],
    ["2001::1", "reserved", "IETF"],
    ["100::1", "reserved", "discard"],
    ["3fff::1", "public"],
    ["4000::1", "reserved", "global unicast"],
    // IPv4 inside IPv6: judged by the IPv4 address
    ["::ffff:127.0.0.1", "private", "loopback address (IPv4-mapped)"],
    ["::ffff:7f00:1", "private", "loopback address (IPv4-mapped)"],
    ["0:0:0:0:0:ffff:a00:1", "private", "private address (IPv4-mapped)"],
    ["::ffff:169.254.169.254", "reserved", "cloud metadata service address (IPv4-mapped)"],
    ["fd00:ec2::254", "reserved", "cloud metadata"],
    ["::ffff:8.8.8.8", "public"],
    ["::127.0.0.1", "private", "IPv4-compatible"],
    ["64:ff9b::10.0.0.1", "private", "NAT64"],
    ["64:ff9b::8.8.8.8", "public"],
    ["2002:7f00:1::1", "private", "6to4"],
    ["2002:808:808::1", "public"],
    ["[::1]", "private", "loopback"],
    // not addresses at all
    ["example.com", "reserved", "not an IP"],
    ["", "reserved", "not an IP"],
  ])("%s is %s", (ip, want, reason) => {
    const problem = addressProblem(ip);
    if (want === "public") expect(problem).toBeNull();
    else {
      expect(problem?.kind).toBe(want);
      if (reason) expect(problem?.reason).toContain(reason);
    }
  });

  it("the admin setting lets private addresses through, never reserved ones", () => {
    expect(isAllowedAddress("127.0.0.1", false)).toBe(false);
    expect(isAllowedAddress("127.0.0.1", true)).toBe(true);
    expect(isAllowedAddress("::ffff:10.1.2.3", true)).toBe(true);
    expect(isAllowedAddress("0.0.0.0", true)).toBe(false);
    expect(isAllowedAddress("ff02::1", true)).toBe(false);
    expect(isAllowedAddress("8.8.8.8", false)).toBe(true);
  });
});

describe("checkUrlShape", () => {
  it.each<[string, boolean, string | null]>([
    ["https://hooks.example.com/gatehouse", false, null],
    ["http://hooks.example.com:8080/x?y=1", false, null],
    ["https://[2606:4700:4700::1111]/hook", false, null],
    ["ftp://hooks.example.com/x", false, "https://"],
    ["hooks.example.com/x", false, "full URL"],
    ["https://user:pass@hooks.example.com/x", false, "credentials"],
    ["http://127.0.0.1:9000/hook", false, "loopback"],
    ["http://127.0.0.1:9000/hook", true, null],
    ["http://localhost:9000/hook", false, "loopback"],
    ["http://api.localhost/hook", false, "loopback"],
    ["http://[::1]/hook", false, "loopback"],
    ["http://[::ffff:127.0.0.1]/hook", false, "IPv4-mapped"],
    ["http://[fd00::1]/hook", false, "unique-local"],
    ["http://169.254.169.254/latest/meta-data", false, "cloud metadata"],
    ["http://169.254.169.254/latest/meta-data", true, "cloud metadata"],
    // The URL parser's other spellings of 127.0.0.1 are caught too.
    ["http://2130706433/hook", false, "loopback"],
    ["http://0x7f.1/hook", false, "loopback"],
    ["http://017700000001/hook", false, "loopback"],
    ["http://127.1/hook", false, "loopback"],
    ["http://0.0.0.0:80/", true, "unspecified"],
  ])("%s (private allowed: %s)", (url, allowPrivate, problem) => {
    const result = checkUrlShape(url, allowPrivate);
    if (problem === null) expect(result.ok).toBe(true);
    else {
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toContain(problem);
    }
  });

  it("refuses URLs longer than 2,000 characters", () => {
    const r = checkUrlShape(`https://example.com/${"a".repeat(2_000)}`, false);
    expect(!r.ok && r.message).toContain("at most");
  });

  it("names the setting when only a private address stands in the way", () => {
    const r = checkUrlShape("http://10.0.0.5/hook", false);
    expect(!r.ok && r.message).toContain("GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE");
    const reserved = checkUrlShape("http://224.0.0.1/hook", true);
    expect(!reserved.ok && reserved.message).not.toContain("GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE");
  });
});
