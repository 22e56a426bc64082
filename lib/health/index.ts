import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { db } from "@/lib/db";
import pkg from "@/package.json";
import { migrationStatus, type MigrationStatus } from "./migrations";

export type Health = {
  status: "ok" | "degraded" | "down";
  version: string;
  time: string;
  database: { reachable: boolean; latencyMs: number | null; error?: string };
  migrations: MigrationStatus | null;
};

async function expectedMigrations(): Promise<string[]> {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

/** Database reachable, migrations current, and the running version. Public: it reveals no data. */
export async function checkHealth(now = new Date()): Promise<Health> {
  const started = performance.now();
  try {
    const applied = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const migrations = migrationStatus(await expectedMigrations(), applied.map((r) => r.migration_name));
    return {
      status: migrations.current ? "ok" : "degraded",
      version: pkg.version,
      time: now.toISOString(),
      database: { reachable: true, latencyMs },
      migrations,
    };
  } catch (err) {
    return {
      status: "down",
      version: pkg.version,
      time: now.toISOString(),
      database: { reachable: false, latencyMs: null, error: "The database did not answer" },
      migrations: null,
    };
  }
}
