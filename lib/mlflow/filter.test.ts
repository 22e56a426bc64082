import { describe, expect, it } from "vitest";
import { MlflowError } from "./errors";
import { decodePageToken, encodePageToken, parseFilter, parseOrderBy, type Comparison, type SearchKind } from "./filter";

describe("parseFilter: MLflow's registry search syntax", () => {
  const cases: [string, SearchKind, Comparison[]][] = [
    ["", "models", []],
    ["   ", "versions", []],
    ["name = 'fraud'", "models", [{ attribute: { kind: "name" }, op: "=", value: "fraud" }]],
    ["name='fraud'", "models", [{ attribute: { kind: "name" }, op: "=", value: "fraud" }]],
    [`name = "fraud"`, "models", [{ attribute: { kind: "name" }, op: "=", value: "fraud" }]],
    ["name LIKE 'fraud-%'", "models", [{ attribute: { kind: "name" }, op: "LIKE", value: "fraud-%" }]],
    ["name like 'fraud-%'", "models", [{ attribute: { kind: "name" }, op: "LIKE", value: "fraud-%" }]],
    ["name ILIKE '%Fraud%'", "models", [{ attribute: { kind: "name" }, op: "ILIKE", value: "%Fraud%" }]],
    ["name != 'x'", "models", [{ attribute: { kind: "name" }, op: "!=", value: "x" }]],
    ["tags.team = 'payments'", "models", [{ attribute: { kind: "tag", key: "team" }, op: "=", value: "payments" }]],
    ["tags.`mlflow.source.git.commit` = 'abc'", "versions", [{ attribute: { kind: "tag", key: "mlflow.source.git.commit" }, op: "=", value: "abc" }]],
    ['tags."key with space" = \'v\'', "versions", [{ attribute: { kind: "tag", key: "key with space" }, op: "=", value: "v" }]],
    ["tags.mlflow.source.git.commit = 'abc'", "versions", [{ attribute: { kind: "tag", key: "mlflow.source.git.commit" }, op: "=", value: "abc" }]],
    ["run_id = 'r1'", "versions", [{ attribute: { kind: "run_id" }, op: "=", value: "r1" }]],
    ["run_id IN ('r1', 'r2')", "versions", [{ attribute: { kind: "run_id" }, op: "IN", value: ["r1", "r2"] }]],
    ["version_number >= 3", "versions", [{ attribute: { kind: "version_number" }, op: ">=", value: 3 }]],
    ["version_number = '7'", "versions", [{ attribute: { kind: "version_number" }, op: "=", value: 7 }]],
    ["name = 'it''s'", "models", [{ attribute: { kind: "name" }, op: "=", value: "it's" }]],
    ["name LIKE 'a\\\\'", "models", [{ attribute: { kind: "name" }, op: "LIKE", value: "a\\\\" }]],
    ["name = 'a\\'", "models", [{ attribute: { kind: "name" }, op: "=", value: "a\\" }]],
    [
      "name = 'm' AND tags.a != 'b' and run_id = 'r'",
      "versions",
      [
        { attribute: { kind: "name" }, op: "=", value: "m" },
        { attribute: { kind: "tag", key: "a" }, op: "!=", value: "b" },
        { attribute: { kind: "run_id" }, op: "=", value: "r" },
      ],
    ],
  ];
  it.each(cases)("%s (%s)", (filter, kind, expected) => {
    expect(parseFilter(filter, kind)).toEqual(expected);
  });

  const errors: [string, SearchKind, string][] = [
    ["run_id = 'r'", "models", "searched by name and tags.<key>"],
    ["version_number = 1", "models", "searched by name and tags.<key>"],
    ["source_path = 'x'", "versions", "cannot be searched here"],
    ["name = fraud", "models", "must be a string in quotes"],
    ["name = 'fraud", "models", "has no closing '"],
    ["name > 'a'", "models", "compared with =, !=, LIKE, ILIKE"],
    ["run_id LIKE 'a%'", "versions", "compared with =, !=, IN"],
    ["name = 'a' OR name = 'b'", "models", "joined with AND (OR is not supported)"],
    ["name = 'a' AND", "models", "expected an attribute"],
    ["name", "models", "expected a comparison operator"],
    ["run_id IN 'a'", "versions", "IN takes a list in parentheses"],
    ["run_id IN ('a' 'b')", "versions", "not closed with ')'"],
    ["run_id IN (1)", "versions", "holds quoted strings"],
    ["version_number = 'x'", "versions", "whole number"],
    ["tags. = 'x'", "models", "cannot be searched here"],
    ["name LIKE 'abc\\'", "models", "cannot end with an unescaped backslash"],
    ["tags.k ILIKE '\\\\\\'", "versions", "cannot end with an unescaped backslash"],
  ];
  it.each(errors)("refuses %s (%s)", (filter, kind, message) => {
    let err: unknown;
    try {
      parseFilter(filter, kind);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MlflowError);
    expect(err).toMatchObject({ code: "INVALID_PARAMETER_VALUE", status: 400 });
    expect((err as Error).message).toContain(message);
  });
});

describe("parseOrderBy", () => {
  it.each([
    [[], "models", [{ key: "name", desc: false }]],
    [["last_updated_timestamp DESC"], "models", [{ key: "last_updated_timestamp", desc: true }, { key: "name", desc: false }]],
    [["timestamp"], "models", [{ key: "last_updated_timestamp", desc: false }, { key: "name", desc: false }]],
    [["name DESC"], "models", [{ key: "name", desc: true }]],
    [[], "versions", [{ key: "name", desc: false }, { key: "version_number", desc: true }]],
    [["version_number ASC"], "versions", [{ key: "version_number", desc: false }, { key: "name", desc: false }]],
    [["creation_timestamp desc", "name"], "versions", [{ key: "creation_timestamp", desc: true }, { key: "name", desc: false }, { key: "version_number", desc: true }]],
  ] as const)("%j (%s)", (orderBy, kind, expected) => {
    expect(parseOrderBy([...orderBy], kind)).toEqual(expected);
  });

  it.each([[["version_number"], "models"], [["name SIDEWAYS"], "models"], [["run_id"], "versions"]] as const)("refuses %j (%s)", (orderBy, kind) => {
    expect(() => parseOrderBy([...orderBy], kind)).toThrow(/Invalid order_by clause/);
  });
});

describe("page tokens", () => {
  it.each([0, 1, 100, 123_456])("round-trip offset %i", (offset) => {
    expect(decodePageToken(encodePageToken(offset))).toBe(offset);
  });
  it("no token is the first page", () => {
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken("")).toBe(0);
  });
  it.each(["garbage", Buffer.from('{"offset":-1}').toString("base64url"), Buffer.from('{"offset":"3"}').toString("base64url"), Buffer.from("[]").toString("base64url")])("refuses %s", (token) => {
    expect(() => decodePageToken(token)).toThrow(/Invalid page_token/);
  });
});
