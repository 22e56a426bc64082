import "server-only";
import { can, type Actor } from "@/lib/auth/permissions";
import { ZPolicyVersionQuery } from "./schemas";
import { getDefaultPolicy, getModelPolicy, listPolicyVersions, type PolicyVersionView } from "./policies";

/** What the policy screen shows for ?version= or ?from=&to= (bad numbers fall back to the version in force). */
export async function policyScreenData(opts: { actor: Actor; model: string | null; search: Record<string, string | string[] | undefined> }) {
  const num = (v: unknown) => {
    const r = ZPolicyVersionQuery.safeParse({ version: typeof v === "string" ? v : undefined });
    return r.success ? r.data.version : undefined;
  };
  const get = (version?: number): Promise<PolicyVersionView> => (opts.model ? getModelPolicy({ actor: opts.actor, model: opts.model, version }) : getDefaultPolicy({ actor: opts.actor, version }));
  const [current, versions] = await Promise.all([get(), listPolicyVersions({ actor: opts.actor, model: opts.model ?? undefined })]);
  const pick = (n: number | undefined) => versions.find((v) => v.version === n);
  const from = pick(num(opts.search.from));
  const to = pick(num(opts.search.to));
  const shown = pick(num(opts.search.version)) ?? current;
  return { current, shown, versions, diff: from && to ? { from, to } : null, canEdit: can(opts.actor, "policies.manage") };
}
