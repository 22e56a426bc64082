import { describe, expect, it } from "vitest";
import { clientIp, ipLimitKey, trustProxyFrom } from "./client-ip.mjs";

describe("the client's address", () => {
  it.each([
    { name: "the socket's peer", remoteAddress: "203.0.113.7", forwardedFor: undefined, trustProxy: false, want: "203.0.113.7" },
    { name: "an IPv4 client on a dual-stack socket", remoteAddress: "::ffff:203.0.113.7", forwardedFor: undefined, trustProxy: false, want: "203.0.113.7" },
    { name: "X-Forwarded-For ignored without a trusted proxy", remoteAddress: "203.0.113.7", forwardedFor: "198.51.100.1", trustProxy: false, want: "203.0.113.7" },
    { name: "behind a proxy: the entry it appended", remoteAddress: "10.0.0.2", forwardedFor: "198.51.100.1", trustProxy: true, want: "198.51.100.1" },
    { name: "entries a client forged sit to the left", remoteAddress: "10.0.0.2", forwardedFor: "1.2.3.4, 5.6.7.8,198.51.100.1", trustProxy: true, want: "198.51.100.1" },
    { name: "several header lines: the last of the last", remoteAddress: "10.0.0.2", forwardedFor: ["1.2.3.4", "198.51.100.1"], trustProxy: true, want: "198.51.100.1" },
    { name: "an address with a port", remoteAddress: "10.0.0.2", forwardedFor: "198.51.100.1:5678", trustProxy: true, want: "198.51.100.1" },
    { name: "a bracketed IPv6 address with a port", remoteAddress: "10.0.0.2", forwardedFor: "[2001:DB8::1]:443", trustProxy: true, want: "2001:db8::1" },
    { name: "a garbled entry: the socket's peer", remoteAddress: "10.0.0.2", forwardedFor: "1.2.3.4, not-an-address", trustProxy: true, want: "10.0.0.2" },
    { name: "no header behind a proxy: the socket's peer", remoteAddress: "10.0.0.2", forwardedFor: undefined, trustProxy: true, want: "10.0.0.2" },
    { name: "no address at all", remoteAddress: undefined, forwardedFor: undefined, trustProxy: false, want: "unknown" },
  ])("$name", ({ remoteAddress, forwardedFor, trustProxy, want }) => {
    expect(clientIp({ remoteAddress, forwardedFor, trustProxy })).toBe(want);
  });
});

describe("what the per-address limit counts", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002::1", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["unknown", null],
    ["", null],
    [null, null],
  ])("%s counts as %s", (ip, want) => {
    expect(ipLimitKey(ip)).toBe(want);
  });
});

describe("GATEHOUSE_TRUST_PROXY as the server reads it", () => {
  it.each([
    [undefined, false],
    ["", false],
    ["false", false],
    ["0", false],
    ["true", true],
    ["1", true],
  ])("%s means %s", (value, want) => {
    expect(trustProxyFrom(value)).toBe(want);
  });
  it("refuses anything else, so a typo does not silently trust forged addresses", () => {
    expect(() => trustProxyFrom("yes")).toThrow("GATEHOUSE_TRUST_PROXY must be true or false");
  });
});
