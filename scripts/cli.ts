// The admin commands behind `npm run gatehouse -- <command>`; run through scripts/gatehouse.mjs, which sets up
// the database first. Acts as the "cli" system actor: whoever can run this on the server is its operator.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { AppError } from "@/lib/api/errors";
import { verifyAndRecord } from "@/lib/audit/verifications";
import { verifyEvidenceBundle } from "@/lib/promotions/bundle-verify";
import { renderPermissionsDoc, type Actor, type Role } from "@/lib/auth/permissions";
import { ZCreateUserInput } from "@/lib/auth/schemas";
import { createTeam } from "@/lib/auth/teams";
import { createToken, listTokens, revokeToken } from "@/lib/auth/tokens";
import { createUser, getUserByEmail, grantRole } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { describePass, runSimulator, simulateTick } from "@/lib/rollouts/simulate";
import { tickRollouts } from "@/lib/rollouts/tick";

const HELP = `Usage: npm run gatehouse -- <command> [options]

Commands:
  token create --name <name> (--user <email> | --scope <scope>...) [--rate-limit <requests a minute>]
                      Create an API token. Prints it alone on the last line; it is never shown again.
                      Scopes: registry:read registry:write promotions:request metrics:write serving:read aliases:rollback policies:write
                      --rate-limit gives it its own REST rate limit instead of GATEHOUSE_API_RATE_LIMIT.
  token list          List active tokens (never their secrets).
  token revoke <id>   Revoke a token at once.
  user create --email <email> --name <name> [--role <role>[@<team>]...]
                      Create a user; the password is read from the GATEHOUSE_PASSWORD environment variable or stdin.
  user grant --email <email> --role <role>[@<team>]
                      Grant a role globally or for one team.
  team create --slug <slug> --name <name>
                      Create a team.
  audit verify        Recompute the audit hash chain; exits 1 if it is broken.
  evidence verify <file>
                      Re-verify an archived evidence bundle (GET /api/v1/promotions/{id}/evidence) offline:
                      event hashes and links, decisions and signatures, the bundle digest; exits 1 on any failure.
  rollouts tick [--now <ISO time, not in the future>]
                      Run one rollout scheduler tick (for an external cron instead of, or besides, the server's own
                      scheduler; a tick runs once across all instances). Prints what each active rollout did.
  simulate [--once]   Send the demo's rollouts realistic live metrics every few seconds (a minute's data once a
                      minute) and tick the scheduler, until Ctrl-C; --once for a single pass.
  docs permissions    Regenerate docs/permissions.md from the permission table.

With DATABASE_URL unset these act on the embedded database under .data/ (started if it is not running).`;

const cli: Actor = { kind: "system", label: "cli" };

function parseRole(value: string): { role: Role; team: string | null } {
  const [role, team] = value.split("@");
  return { role: role as Role, team: team ?? null };
}

async function readPassword(): Promise<string> {
  // An operator's input like argv, not app configuration (which lib/env.ts owns).
  if (process.env.GATEHOUSE_PASSWORD) return process.env.GATEHOUSE_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write("Password (at least 12 characters): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split("\n")[0];
}

async function main(argv: string[]): Promise<number> {
  const [group, verb, ...rest] = argv;
  if (!group || group === "help" || argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      user: { type: "string" },
      scope: { type: "string", multiple: true },
      email: { type: "string" },
      role: { type: "string", multiple: true },
      slug: { type: "string" },
      now: { type: "string" },
      "rate-limit": { type: "string" },
    },
  });
  const command = `${group} ${verb ?? ""}`.trim();
  switch (command) {
    case "token create": {
      // NaN for "abc", which the schema refuses with its message like any other bad input.
      const rateLimitPerMinute = values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"]);
      const input = values.user
        ? { name: values.name ?? "", kind: "user" as const, userEmail: values.user, scopes: [], rateLimitPerMinute }
        : { name: values.name ?? "", kind: "service" as const, scopes: (values.scope ?? []) as never[], rateLimitPerMinute };
      const { token, secret } = await createToken({ actor: cli, input });
      const limit = token.rateLimitPerMinute === null ? "" : `, limited to ${token.rateLimitPerMinute} requests a minute`;
      console.error(`Created ${token.kind} token "${token.name}" (${token.id})${token.scopes.length ? ` with scopes ${token.scopes.join(", ")}` : ` acting as ${token.user?.email}`}${limit}.`);
      console.error("Copy it now; it is not shown again:");
      console.log(secret);
      return 0;
    }
    case "token list": {
      const page = await listTokens({ actor: cli, limit: 200 });
      for (const t of page.items) {
        console.log([t.id, t.prefix + "…", t.name, t.kind === "user" ? `user ${t.user?.email}` : t.scopes.join(","), t.rateLimitPerMinute === null ? "default rate limit" : `${t.rateLimitPerMinute}/min`, `last used ${t.lastUsedAt ?? "never"}`].join("\t"));
      }
      if (page.items.length === 0) console.log("No active tokens.");
      return 0;
    }
    case "token revoke": {
      const t = await revokeToken({ actor: cli, id: positionals[0] ?? "" });
      console.log(`Revoked "${t.name}".`);
      return 0;
    }
    case "user create": {
      const input = ZCreateUserInput.parse({ email: values.email, name: values.name, password: await readPassword(), roles: (values.role ?? []).map(parseRole) });
      const user = await createUser({ actor: cli, input });
      console.log(`Created ${user.email} (${user.id}) with roles: ${user.grants.map((g) => (g.team ? `${g.role}@${g.team.slug}` : g.role)).join(", ") || "none"}.`);
      return 0;
    }
    case "user grant": {
      const user = await getUserByEmail({ actor: cli, email: values.email ?? "" });
      for (const r of values.role ?? []) await grantRole({ actor: cli, id: user.id, input: parseRole(r) });
      console.log(`Granted ${(values.role ?? []).join(", ")} to ${user.email}.`);
      return 0;
    }
    case "team create": {
      const team = await createTeam({ actor: cli, input: { slug: values.slug ?? "", name: values.name ?? "" } });
      console.log(`Created team ${team.slug} (${team.id}).`);
      return 0;
    }
    case "audit verify": {
      // Recorded like a verification from the audit page, so the page shows when the chain was last checked.
      const { ok, checked, firstBrokenId } = await verifyAndRecord({ actor: cli });
      console.log(JSON.stringify({ ok, checked, firstBrokenId }));
      return ok ? 0 : 1;
    }
    case "evidence verify": {
      const file = positionals[0];
      if (!file) throw new Error("Name the bundle file: npm run gatehouse -- evidence verify bundle.json");
      // npm runs scripts from the project root; a relative path means the directory the command was typed in.
      const { ok, checks } = verifyEvidenceBundle(JSON.parse(readFileSync(path.resolve(process.env.INIT_CWD ?? process.cwd(), file), "utf8")));
      for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
      console.log(ok ? "The bundle verifies." : "The bundle does NOT verify.");
      return ok ? 0 : 1;
    }
    case "rollouts tick": {
      const now = values.now ? new Date(values.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new Error(`--now is not a date-time: ${values.now}`);
      // A tick "in the future" would count holds as elapsed and keep the server's own scheduler waiting until then.
      if (now.getTime() > Date.now() + 60_000) throw new Error("--now may not be in the future");
      const result = await tickRollouts({ now });
      if (!result.ran) console.log(`Tick ${result.tick} already ran on another instance; nothing to do.`);
      for (const r of result.rollouts) console.log(`rollout ${r.number}: ${r.action}: ${r.reason}`);
      for (const f of result.failed) console.error(`rollout ${f.id} failed: ${f.error}`);
      if (result.ran && !result.rollouts.length && !result.failed.length) console.log("No active rollouts.");
      return result.failed.length ? 1 : 0;
    }
    case "simulate":
    case "simulate --once": {
      if (command.endsWith("--once")) {
        const lines = describePass(await simulateTick());
        console.log(lines.length ? lines.join("\n") : "Nothing new: no minute has ended since the last pass, or no demo rollout is live.");
        return 0;
      }
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      process.once("SIGTERM", () => stop.abort());
      console.log("Simulating the demo's live traffic; Ctrl-C stops.");
      await runSimulator({ signal: stop.signal });
      return 0;
    }
    case "docs permissions": {
      const file = path.join(process.cwd(), "docs", "permissions.md");
      writeFileSync(file, renderPermissionsDoc());
      console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
      return 0;
    }
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2))
  .then(async (code) => {
    await Promise.resolve().then(() => db.$disconnect()).catch(() => {}); // no client was made when no command needed one
    process.exit(code);
  })
  .catch(async (err) => {
    if (err instanceof ZodError) console.error(`Invalid input: ${err.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`);
    else if (err instanceof AppError) console.error(err.message);
    else if (err instanceof Error && /Unknown option|unexpected argument/i.test(err.message)) console.error(`${err.message}\n\n${HELP}`);
    else console.error(err);
    await Promise.resolve().then(() => db.$disconnect()).catch(() => {}); // no client was made when no command needed one
    process.exit(1);
  });
