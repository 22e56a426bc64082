// Prisma CLI configuration. The CLI's schema engine runs as WebAssembly over @prisma/adapter-pg, so
// `prisma migrate deploy|diff|dev|status` work without downloading Prisma's native engine (which this
// network cannot reach). Prisma 6.19.3's JS engine path needs the small workarounds below; each is covered by
// the migration tests (prisma/migrations.test.ts) and can go when Prisma fixes the defect it names.
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { defineConfig } from "prisma/config";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

// Workaround 4 (speed only): the WASM schema engine arms 10 s and 60 s timers it never clears, so every command
// would linger that long after finishing. Long timers must not keep the CLI alive. Only the CLI loads this file.
const setTimeoutOriginal = globalThis.setTimeout;
globalThis.setTimeout = Object.assign((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer = setTimeoutOriginal(fn, ms, ...args);
  if ((ms ?? 0) >= 10_000) timer.unref();
  return timer;
}, setTimeoutOriginal) as typeof setTimeout;

// Parsed from DATABASE_URL rather than passed as a connectionString: pg lets a connectionString override
// `database`, which would break switching to the shadow database.
function pgConfigFromEnv(): pg.PoolConfig & { schema?: string } {
  const raw = process.env.DATABASE_URL;
  if (!raw) throw new Error("DATABASE_URL is not set");
  const url = new URL(raw);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    schema: url.searchParams.get("schema") ?? undefined,
    // The CLI never closes the main adapter's pool; without this every command lingers ~10 s.
    allowExitOnIdle: true,
  };
}

// Workaround 1: adapter-pg 6.19.3 cannot deserialize the pg_catalog columns of type "char" (OID 18) and name
// (OID 19) the schema engine reads; report them as text (OID 25), which pg already returns them as.
// Workaround 3: PostgreSQL 18 lists every NOT NULL in pg_constraint (contype 'n') and the 6.19.3 schema engine
// panics on those rows ("RuntimeError: unreachable", prisma/orm#29635). Drop them: nullability is read from
// pg_attribute.attnotnull anyway.
const TEXT_OID = 25;
type PgResult = { fields?: { name: string; dataTypeID: number }[]; rows?: unknown[][] };
function patchCatalogTypes<T extends object>(queryable: T): T {
  const q = queryable as unknown as { performIO(query: unknown): Promise<PgResult> };
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    const fields = result?.fields ?? [];
    for (const field of fields) {
      if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = TEXT_OID;
    }
    const type = fields.findIndex((f) => f.name === "constraint_type");
    if (type >= 0 && fields.some((f) => f.name === "constraint_definition") && result.rows) {
      result.rows = result.rows.filter((row) => row[type] !== "n");
    }
    return result;
  };
  // Workaround 5: adapter-pg 6.19.3's executeScript splits a migration on every ";", breaking dollar-quoted
  // function bodies (the audit trigger). PostgreSQL's simple query protocol runs a whole script itself, as one
  // implicit transaction, so a failing migration leaves nothing half-applied.
  const s = queryable as unknown as { executeScript?: (script: string) => Promise<void>; client?: { query(sql: string): Promise<unknown> }; onError?: (e: unknown) => never };
  if (typeof s.executeScript === "function" && s.client && typeof s.onError === "function") {
    const client = s.client;
    const onError = s.onError.bind(queryable);
    s.executeScript = async (script) => {
      try {
        await client.query(script);
      } catch (error) {
        onError(error);
      }
    };
  }
  const tx = queryable as unknown as { startTransaction?: (...a: unknown[]) => Promise<object> };
  if (typeof tx.startTransaction === "function") {
    const start = tx.startTransaction.bind(queryable);
    tx.startTransaction = async (...a) => patchCatalogTypes(await start(...a));
  }
  return queryable;
}

class GatehousePg extends PrismaPg {
  constructor(
    private readonly pgConfig: pg.PoolConfig,
    schema?: string,
  ) {
    super(pgConfig, { schema });
  }

  override async connect(): Promise<Adapter> {
    return patchCatalogTypes(await super.connect());
  }

  // Workaround 2: adapter-pg 6.19.3's connectToShadowDb drops the shadow database before closing the pool still
  // connected to it ("is being accessed by other users"). Close first, then drop.
  override async connectToShadowDb(): Promise<Adapter> {
    const admin = await super.connect();
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...this.pgConfig, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      } finally {
        await admin.dispose();
      }
    };
    return patchCatalogTypes(shadow);
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const { schema, ...config } = pgConfigFromEnv();
    return new GatehousePg(config, schema);
  },
});
