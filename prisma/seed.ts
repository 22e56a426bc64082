// Demo data for `npm start`: teams, one user per role and six registered models, created through the same use cases (and audit
// events) as everything else. Runs only on an empty database.
import { createTeam } from "@/lib/auth/teams";
import { createUser } from "@/lib/auth/users";
import { db } from "@/lib/db";
import type { Actor, Role } from "@/lib/auth/permissions";
import { seedDemoPromotions } from "./demo-promotions";
import { seedDemoRegistry } from "./demo-registry";
import { seedDemoReleases } from "./demo-releases";
import { seedDemoRollouts } from "./demo-rollouts";
import demo from "./demo-users.json";

const seeder: Actor = { kind: "system", label: "seed" };

export async function seedDemo(): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  for (const t of demo.teams) await createTeam({ actor: seeder, input: { ...t, reason: "demo data" } });
  for (const u of demo.users) {
    await createUser({
      actor: seeder,
      input: { email: u.email, name: u.name, password: demo.password, roles: u.roles.map((r) => ({ role: r.role as Role, team: r.team })), reason: "demo data" },
    });
  }
  await seedDemoRegistry(seeder);
  await seedDemoPromotions();
  await seedDemoRollouts();
  // Last: the releases' requests come after the promotions' and rollouts' numbers, and their approver is a rollout user.
  await seedDemoReleases();
  return true;
}

if (process.argv[1]?.endsWith("seed.ts")) {
  seedDemo()
    .then((seeded) => {
      console.log(seeded ? "[gatehouse] demo data seeded" : "[gatehouse] database already has users; demo data not seeded");
      return db.$disconnect();
    })
    .catch(async (err) => {
      console.error("[gatehouse] seeding failed:", err instanceof Error ? err.message : err);
      await db.$disconnect();
      process.exit(1);
    });
}
