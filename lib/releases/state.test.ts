import { describe, expect, it } from "vitest";
import type { Decision, RolloutStatus } from "@/lib/rollouts/machine";
import { finishedStatus, reconcile, together, type MemberDecision, type MemberState, type ReleaseStatus } from "./state";

const m = (number: number, status: string, statusReason: string | null = null): MemberState => ({ number, model: `model-${number}`, version: number + 10, status, statusReason });

describe("what a release does given its members", () => {
  it.each<[string, ReleaseStatus, MemberState[], string, object?]>([
    ["all waiting", "open", [m(1, "awaiting-approval"), m(2, "blocked")], "none", { reason: "Waiting for #1 (model-1 v11), awaiting approval; #2 (model-2 v12), blocked." }],
    ["one approved, one waiting", "open", [m(1, "approved"), m(2, "awaiting-approval")], "none", { reason: "Waiting for #2 (model-2 v12), awaiting approval." }],
    ["one back with its requester", "open", [m(1, "approved"), m(2, "changes-requested")], "none", { reason: "Waiting for #2 (model-2 v12), back with its requester for changes." }],
    ["every member approved", "open", [m(1, "approved"), m(2, "approved")], "apply"],
    ["a member rejected", "open", [m(1, "approved"), m(2, "rejected", "Rejected by Lee: regresses.")], "end", { status: "rejected", cause: 2, reason: "Member #2 (model-2 v12) was rejected: rejected by Lee: regresses." }],
    ["a member superseded", "open", [m(1, "superseded", "Superseded by #9."), m(2, "approved")], "end", { status: "superseded", cause: 1 }],
    ["a member expired", "open", [m(1, "awaiting-approval"), m(2, "expired")], "end", { status: "expired" }],
    ["a member cancelled", "open", [m(1, "cancelled"), m(2, "awaiting-approval")], "end", { status: "cancelled" }],
    ["rolling out", "rolling-out", [m(1, "rolling-out"), m(2, "rolling-out")], "none"],
    ["a rolling-out member rolled back", "rolling-out", [m(1, "rolled-back", "Latency breached."), m(2, "rolling-out")], "roll-back-rest", { cause: 1 }],
    ["a rolling-out member aborted", "rolling-out", [m(1, "cancelled"), m(2, "rolling-out")], "cancel-rest", { cause: 1 }],
    ["a member stopped after another already applied", "rolling-out", [m(1, "applied"), m(2, "cancelled")], "roll-back-rest", { cause: 2 }],
    ["every member applied while rolling out", "rolling-out", [m(1, "applied"), m(2, "applied")], "finish"],
    ["one applied, one still to move", "rolling-out", [m(1, "applied"), m(2, "rolling-out")], "none"],
    ["applied", "applied", [m(1, "applied"), m(2, "applied")], "none"],
    ["an applied member rolled back by hand", "applied", [m(1, "applied"), m(2, "rolled-back")], "roll-back-rest", { cause: 2 }],
    ["every member rolled back", "applied", [m(1, "rolled-back"), m(2, "rolled-back")], "finish"],
    ["an ended release", "cancelled", [m(1, "cancelled"), m(2, "cancelled")], "none"],
    ["no members", "open", [], "none"],
  ])("%s", (_name, status, members, action, more) => {
    const r = reconcile(status, members);
    expect(r.action).toBe(action);
    if (more) expect(r).toMatchObject(more);
  });

  it("finishes applied, or rolled back when any member was", () => {
    expect(finishedStatus([m(1, "applied"), m(2, "applied")])).toBe("applied");
    expect(finishedStatus([m(1, "rolled-back"), m(2, "rolled-back")])).toBe("rolled-back");
  });
});

describe("rollouts that move together", () => {
  const hold: Decision = { action: "hold", reason: "Holding canary 10%." };
  const advance: Decision = { action: "advance", toStep: 1, reason: "Verdict Pass." };
  const complete: Decision = { action: "complete", reason: "The rollout is complete." };
  const wait: Decision = { action: "wait", checkpoint: "canary", reason: "Waiting for 1 compliance-officer." };
  const breach: Decision = { action: "rollback", breaches: [], reason: "latency_p95_ms above 250." };
  const watchBreach: Decision = { action: "watch-rollback", breaches: [], reason: "error_rate above 1%." };
  const abort: Decision = { action: "abort", reason: "Cy rejected the rollout at the checkpoint." };
  const endWatch: Decision = { action: "end-watch", reason: "The watch window ended without a breach." };
  const md = (key: string, decision: Decision, status: RolloutStatus = "running"): MemberDecision => ({ key, label: key, status, decision });
  const actions = (ds: MemberDecision[]) => together(ds).map((d) => d.decision.action);

  it.each<[string, MemberDecision[], string[]]>([
    ["both ready to advance: both advance", [md("a", advance), md("b", advance)], ["advance", "advance"]],
    ["one still holding: the ready one holds too", [md("a", advance), md("b", hold)], ["hold", "hold"]],
    ["one paused: the other waits for it", [md("a", advance), md("b", hold, "paused")], ["hold", "hold"]],
    ["one at a checkpoint: it waits, the other holds", [md("a", advance), md("b", wait)], ["hold", "wait"]],
    ["one ready to complete, one still advancing: the advancing one moves, the completing one holds", [md("a", complete), md("b", advance)], ["hold", "advance"]],
    ["both ready to complete: both complete", [md("a", complete), md("b", complete)], ["complete", "complete"]],
    ["a breach in one rolls both back", [md("a", breach), md("b", advance)], ["rollback", "rollback"]],
    ["a breach while another waits at a checkpoint", [md("a", wait, "waiting"), md("b", breach)], ["rollback", "rollback"]],
    ["a watch-window breach rolls back the other watching member", [md("a", watchBreach, "watching"), md("b", hold, "watching")], ["watch-rollback", "watch-rollback"]],
    ["a rejected checkpoint aborts both", [md("a", abort, "waiting"), md("b", hold)], ["abort", "abort"]],
    ["watch windows end on their own", [md("a", endWatch, "watching"), md("b", hold, "watching")], ["end-watch", "hold"]],
    ["one member alone moves as it would", [md("a", advance)], ["advance"]],
  ])("%s", (_name, ds, expected) => {
    expect(actions(ds)).toEqual(expected);
  });

  it("says who a held member waits for, and why the others went back", () => {
    const [a] = together([md("encoder", advance), md("ranker", hold)]);
    expect(a.decision.reason).toMatch(/^Ready to move on; waiting for ranker \(the release moves together\)\. Verdict Pass\.$/);
    const [, b] = together([md("encoder", breach), md("ranker", advance)]);
    expect(b.decision).toEqual({ action: "rollback", breaches: [], reason: "Rolled back with its release: encoder: latency_p95_ms above 250." });
    const [c] = together([md("encoder", complete), md("ranker", advance)]);
    expect(c.decision.reason).toBe("Ready to complete; waiting for ranker to reach the end of its rollout (the release completes together).");
  });
});
