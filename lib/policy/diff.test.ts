import { describe, expect, it } from "vitest";
import { diffStats, lineDiff } from "./diff";

const render = (before: string, after: string) => lineDiff(before, after).map((l) => `${l.kind === "same" ? " " : l.kind === "added" ? "+" : "-"}${l.text}`);

describe("lineDiff", () => {
  it.each([
    ["identical", "a\nb\n", "a\nb\n", [" a", " b"]],
    ["one line changed", "a\nb\nc\n", "a\nB\nc\n", [" a", "-b", "+B", " c"]],
    ["a line added at the end", "a\n", "a\nb\n", [" a", "+b"]],
    ["a line removed at the start", "a\nb\n", "b\n", ["-a", " b"]],
    ["from empty", "", "a\n", ["+a"]],
    ["to empty", "a\n", "", ["-a"]],
    ["moved block keeps the longest common part", "x\na\nb\ny\n", "a\nb\nx\ny\n", ["-x", " a", " b", "+x", " y"]],
    ["CRLF is the same as LF", "a\r\nb\r\n", "a\nb\n", [" a", " b"]],
  ])("%s", (_name, before, after, expected) => {
    expect(render(before, after)).toEqual(expected);
  });

  it("numbers lines on both sides", () => {
    expect(lineDiff("a\nb\nc\n", "a\nc\nd\n")).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "removed", text: "b", oldLine: 2, newLine: null },
      { kind: "same", text: "c", oldLine: 3, newLine: 2 },
      { kind: "added", text: "d", oldLine: null, newLine: 3 },
    ]);
    expect(diffStats(lineDiff("a\nb\nc\n", "a\nc\nd\n"))).toEqual({ added: 1, removed: 1 });
  });
});
