import { describe, expect, it } from "vitest";
import { parseRoleMap, rolesFromGroups } from "./oidc-roles";

describe("parseRoleMap", () => {
  it.each([
    ["", []],
    ["auditors=auditor", [{ group: "auditors", role: "auditor", teamSlug: null }]],
    [
      "leads=ml-lead@payments; admins = admin,\nleads=engineer",
      [
        { group: "leads", role: "ml-lead", teamSlug: "payments" },
        { group: "admins", role: "admin", teamSlug: null },
        { group: "leads", role: "engineer", teamSlug: null },
      ],
    ],
  ])("%j", (text, expected) => {
    expect(parseRoleMap(text)).toEqual(expected);
  });

  it.each([
    ["leads", /group=role/],
    ["leads=superuser", /unknown role "superuser"/],
    ["leads=ml-lead@Pay Ments", /group=role/],
  ])("rejects %j", (text, error) => {
    expect(() => parseRoleMap(text)).toThrow(error);
  });
});

describe("rolesFromGroups", () => {
  const map = parseRoleMap("leads=ml-lead@payments, admins=admin, leads=engineer@payments, all=viewer");
  it.each<[string, unknown, { role: string; teamSlug: string | null }[]]>([
    ["array claim", ["leads"], [{ role: "ml-lead", teamSlug: "payments" }, { role: "engineer", teamSlug: "payments" }]],
    ["space-separated string claim", "admins all", [{ role: "admin", teamSlug: null }, { role: "viewer", teamSlug: null }]],
    ["unknown groups", ["strangers"], []],
    ["missing claim", undefined, []],
  ])("%s", (_name, claim, expected) => {
    expect(rolesFromGroups(claim, map)).toEqual(expected);
  });
});
