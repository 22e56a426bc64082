import { describe, expect, it } from "vitest";
import { sessionCookiePolicy } from "./cookies";

describe("sessionCookiePolicy", () => {
  it.each<[string | undefined, boolean, string]>([
    ["https://gatehouse.example.com", true, "__Secure-next-auth.session-token"],
    ["http://127.0.0.1:3000", false, "next-auth.session-token"],
    [undefined, false, "next-auth.session-token"],
  ])("%j: secure %s, named %s", (publicUrl, secure, name) => {
    expect(sessionCookiePolicy(publicUrl)).toEqual({ secure, name, options: { httpOnly: true, sameSite: "lax", path: "/", secure } });
  });
});
