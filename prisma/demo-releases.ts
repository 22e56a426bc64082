// The demo's coordinated releases for `npm start`, made through the same use cases as the UI and API: the search pair
// (query-encoder and search-ranker, prisma/demo-registry.ts) moved to staging together once already, and a second
// release of the pair waiting in the Approvals inbox of the ML Lead of growth.
import type { Actor, Role } from "@/lib/auth/permissions";
import { createUser } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { createRelease, decideRelease } from "@/lib/releases/release";
import type { ReleaseView } from "@/lib/releases/views";
import demo from "./demo-users.json";

const seeder: Actor = { kind: "system", label: "seed" };

/**
 * An engineer of growth to ask for the releases: engineer@ works on payments only, and the API tests check the demo
 * users' roles exactly, so the growth team gets its own engineer rather than a second grant.
 */
export const DEMO_RELEASE_USERS = [{ email: "engineer-growth@gatehouse.local", name: "Greer Growth", roles: [{ role: "engineer", team: "growth" }] }];

async function user(email: string): Promise<Actor> {
  const row = await db.user.findUniqueOrThrow({ where: { email }, include: { grants: true } });
  return { kind: "user", userId: row.id, label: row.email, name: row.name, grants: row.grants.map((g) => ({ role: g.role as Role, teamId: g.teamId })) };
}

function expectStatus(release: ReleaseView, status: string, members: string): void {
  const found = release.members.map((m) => m.status);
  if (release.status !== status || found.some((s) => s !== members)) {
    throw new Error(`The demo release "${release.name}" is ${release.status} with members ${found.join(", ")} (expected ${status}, members ${members}); its models' gates, policies or aliases changed`);
  }
}

/**
 * Runs once, after seedDemoRollouts (which creates lead-growth@, and whose requests keep their numbers): the v3 pair
 * goes to staging in a release the growth lead approves, then the v4 pair is asked for and left waiting for them.
 */
export async function seedDemoReleases(): Promise<void> {
  for (const u of DEMO_RELEASE_USERS) {
    if (await db.user.findUnique({ where: { email: u.email } })) continue;
    await createUser({ actor: seeder, input: { email: u.email, name: u.name, password: demo.password, roles: u.roles.map((r) => ({ role: r.role as Role, team: r.team })), reason: "demo data" } });
  }
  const engineer = await user("engineer-growth@gatehouse.local");
  const growthLead = await user("lead-growth@gatehouse.local");

  // History: the multilingual encoder changed the embedding space, so the ranker retrained on it moved with it.
  const october = await createRelease({
    actor: engineer,
    input: {
      name: "search-relevance-2026-10",
      justification: "query-encoder v3's multilingual tokenizer changes the embedding space; search-ranker v3 was retrained on it and cannot read v2's embeddings. Offline AUC +0.012 on the ranker, +0.018 on non-English queries.",
      members: [
        { model: "query-encoder", version: 3, stage: "staging" },
        { model: "search-ranker", version: 3, stage: "staging" },
      ],
    },
  });
  expectStatus(october, "open", "awaiting-approval");
  expectStatus(
    await decideRelease({ actor: growthLead, id: october.id, input: { decision: "approve", comment: "Read both evaluations and the pair's offline replay on the judged query set; the multilingual gain holds for every locale. Approving them together." } }),
    "applied",
    "applied",
  );

  // Waiting: the v4 pair, for the ML Lead of growth to approve from the inbox.
  const november = await createRelease({
    actor: engineer,
    input: {
      name: "search-relevance-2026-11",
      justification: "query-encoder v4 adds hard negatives mined from October click logs, and search-ranker v4 was trained on its embeddings (search-features 13) with dwell-time features. Offline, ranker AUC 0.809 against 0.801 at the same p99. The ranker v4 needs the v4 embeddings, so they soak in staging together.",
      members: [
        { model: "query-encoder", version: 4, stage: "staging" },
        { model: "search-ranker", version: 4, stage: "staging" },
      ],
      rules: [{ model: "search-ranker", version: 4, requires: "query-encoder", versions: ">=4", signature: true }],
    },
  });
  expectStatus(november, "open", "awaiting-approval");
}
