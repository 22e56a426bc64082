import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/components/ui/forbidden";
import { Alert, BackLink, Card, PageHeader, Table, cell } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { UtcTime } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { aliasAt } from "@/lib/registry/aliases";

export async function generateMetadata({ params }: { params: Promise<{ name: string; alias: string }> }): Promise<Metadata> {
  const { name, alias } = await params;
  return { title: `${name}@${alias} history` };
}

const VIA: Record<string, string> = { direct: "set by hand", import: "imported", promotion: "promotion", emergency: "emergency promotion", rollback: "rollback", rollout: "rollout" };
const move = (h: { fromVersion: number | null; toVersion: number | null }) => (h.fromVersion === null ? `set to v${h.toVersion}` : h.toVersion === null ? `deleted (was v${h.fromVersion})` : `v${h.fromVersion} → v${h.toVersion}`);

/** An alias's whole history, and "which version did it point at, at time T?" (a UTC time picker). */
export default async function AliasHistoryPage({ params, searchParams }: { params: Promise<{ name: string; alias: string }>; searchParams: Promise<{ at?: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { name, alias } = await params;
  const { at: atParam } = await searchParams;
  const iso = atParam && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(atParam) ? `${atParam.length === 16 ? `${atParam}:00` : atParam}Z` : undefined;
  const at = iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso) : undefined;
  const view = await orNotFound(aliasAt({ actor: gate.actor, model: name, alias, at }));
  return (
    <>
      <BackLink href={`/models/${view.model}`}>{view.model}</BackLink>
      <PageHeader title={`${view.model}@${view.alias}`} description="Every move of this alias: who, when, why, how, and the promotion request behind it." />
      <Card title="At a point in time" className="mb-6">
        <form action="" className="flex flex-wrap items-end gap-3" aria-label="Which version held the alias at a time">
          <label className="text-sm">
            Time (UTC)
            <input type="datetime-local" name="at" step={1} defaultValue={at ? at.toISOString().slice(0, 19) : ""} className={inputStyles} />
          </label>
          <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
            Look up
          </button>
          {at && (
            <Link className={linkStyles} href="?">
              Now
            </Link>
          )}
        </form>
        {atParam && !at && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">&quot;{atParam}&quot; is not a time; showing now.</p>}
        <div className="mt-3">
          <Alert tone="info">
            {at ? `At ${view.at.replace("T", " ").replace(/\.\d+Z$/, " UTC")}` : "Now"}, {view.model}@{view.alias}{" "}
            {view.version === null ? "pointed at no version" : <>pointed at <Link className={linkStyles} href={`/models/${view.model}/versions/${view.version}`}>v{view.version}</Link></>}
            {view.since ? `, since ${view.since.at.replace("T", " ").replace(/\.\d+Z$/, " UTC")} (${VIA[view.since.via] ?? view.since.via} by ${view.since.actor})` : " (it had not been set yet)"}.
          </Alert>
        </div>
      </Card>
      <Table caption={`History of ${view.model}@${view.alias}, newest first`} head={["When (UTC)", "Change", "How", "Who", "Why"]}>
        {view.history.map((h, i) => (
          <tr key={i} className={view.since === h ? "bg-indigo-50 dark:bg-indigo-950/40" : undefined}>
            <td className={`${cell} whitespace-nowrap`}>
              <UtcTime value={h.at} />
            </td>
            <td className={cell}>
              {move(h)}
              {view.since === h && <span className="ml-1 text-xs font-medium">(the holder at the time asked)</span>}
            </td>
            <td className={cell}>
              {h.request ? (
                <Link className={linkStyles} href={`/promotions/${h.request.id}`}>
                  {VIA[h.via] ?? h.via} #{h.request.number}
                </Link>
              ) : (
                (VIA[h.via] ?? h.via)
              )}
            </td>
            <td className={cell}>{h.actor}</td>
            <td className={`${cell} whitespace-pre-wrap`}>{h.reason ?? ""}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
