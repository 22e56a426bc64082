// Demo promotion requests for `npm start`, made through the same use cases as the UI and API: one applied by itself,
// one waiting for the ML Lead, and three blocked by their gates, each for the reason the demo data was built to show.
import type { Actor, Role } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { requestPromotion } from "@/lib/promotions/request";

const pipeline: Actor = { kind: "system", label: "nightly pipeline" };

async function user(email: string): Promise<Actor> {
  const row = await db.user.findUniqueOrThrow({ where: { email }, include: { grants: true } });
  return { kind: "user", userId: row.id, label: row.email, name: row.name, grants: row.grants.map((g) => ({ role: g.role as Role, teamId: g.teamId })) };
}

export async function seedDemoPromotions(): Promise<void> {
  const engineer = await user("engineer@gatehouse.local");
  const ask = (actor: Actor, model: string, version: number, stage: string, justification: string) => requestPromotion({ actor, input: { model, version, stage, justification } });
  // Staging asks for no approvals: this one applies as soon as its gates pass.
  await ask(engineer, "fraud-detector", 6, "staging", "v4's recalibrated trees retrained for CPU serving; staging soak before production.");
  await ask(engineer, "fraud-detector", 6, "production", "Passed a week in staging; AUC +0.008 over the champion at the same latency.");
  await ask(engineer, "fraud-detector", 5, "staging", "Weekly retrain on November data, as scheduled by the pipeline.");
  await ask(pipeline, "credit-risk", 3, "production", "Thin-file applicants reweighted; AUC 0.917 on the holdout set.");
  await ask(pipeline, "churn-predictor", 2, "staging", "Nightly retrain; the full evaluation is still running.");
}
