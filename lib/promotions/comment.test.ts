import { describe, expect, it } from "vitest";
import { MIN_COMMENT_LENGTH, commentProblem } from "./comment";

describe("refused comments, each with a reason", () => {
  it.each([
    ["empty", "", /Write a comment/],
    ["only spaces", "   \n\t  ", /Write a comment/],
    ["ok", "ok", /at least 20 characters/],
    ["LGTM!!!", "LGTM!!!", /at least 20 characters/],
    ["19 characters", "Checked the report.", /at least 20 characters/],
    ["19 letters padded with spaces", "   abcdefghij klmnopqr   ", /at least 20 characters/],
    ["19 Japanese characters", "評価レポートと公平性指標を確認しました", /at least 20 characters/],
    ["19 emoji (counted as characters, not UTF-16 units)", "👍".repeat(19), /at least 20 characters/],
    ["punctuation only", "?!?!?!?!?!?!?!?!?!?!?!", /only punctuation or symbols/],
    ["dots and dashes", "....................-----", /only punctuation or symbols/],
    ["emoji only", "👍".repeat(20), /only punctuation or symbols/],
    ["one repeated word", "yes yes yes yes yes yes", /only repeats "yes"/],
    ["one repeated word in mixed case with punctuation", "LGTM, lgtm. Lgtm! LGTM!!", /only repeats "lgtm"/],
    ["one repeated word joined by underscores", "ok_ok_ok_ok_ok_ok_ok_ok", /only repeats "ok"/],
    ["one long made-up word", "aaaaaaaaaaaaaaaaaaaaaaaa", /only repeats/],
    ["one repeated Japanese word", "はい".repeat(10), /only repeats "はい"/],
  ])("%s", (_name, text, reason) => {
    const problem = commentProblem(text);
    expect(problem).not.toBeNull();
    expect(problem).toMatch(reason);
  });
});

describe("accepted comments", () => {
  it.each([
    ["20 characters exactly", "Checked the reports."],
    ["a real sentence", "Offline metrics and fairness look fine; latency p99 is within budget."],
    ["two distinct words", "approved approved approved fine"],
    ["German", "Ich habe die Fairness-Metriken geprüft, alles in Ordnung."],
    ["Japanese with punctuation", "評価レポートと公平性の指標をすべて確認し、問題はありませんでした。"],
    ["Japanese without spaces or punctuation", "評価レポートと公平性の指標をすべて確認しました"],
    ["Chinese without spaces or punctuation", "我已检查评估报告和公平性指标没有发现问题"],
    ["Greek", "Έλεγξα τις μετρικές και την καθυστέρηση."],
    ["with numbers", "AUC 0.91 vs 0.89 on holdout set 2026-03"],
  ])("%s", (_name, text) => {
    expect([...text.trim()].length).toBeGreaterThanOrEqual(MIN_COMMENT_LENGTH);
    expect(commentProblem(text)).toBeNull();
  });
});
