import type { Metadata } from "next";
import Link from "next/link";
import { ReproBadge } from "@/components/models/badges";
import { Forbidden } from "@/components/ui/forbidden";
import { Badge, EmptyState, PageHeader, Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { checkPagePermission } from "@/lib/auth/actor";
import { searchRegistry } from "@/lib/registry/activity";

export const metadata: Metadata = { title: "Search" };

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  const result = await searchRegistry({ actor: gate.actor, q });
  const nothing = result.models.length === 0 && result.versions.length === 0;
  return (
    <>
      <PageHeader title={q ? `Search: ${q}` : "Search"} description="Model names, commit SHAs (or their first characters) and data snapshot hashes." />
      {!q ? (
        <EmptyState title="Type a model name, a commit SHA or a data hash in the search box" />
      ) : nothing ? (
        <EmptyState title={`Nothing matches “${q}”`}>Commit SHAs match from their first 6 characters; data hashes match whole or by their end.</EmptyState>
      ) : (
        <div className="space-y-8">
          {result.models.length > 0 && (
            <section aria-labelledby="found-models">
              <h2 id="found-models" className="mb-3 text-lg font-semibold">
                Models
              </h2>
              <ul className="space-y-2">
                {result.models.map((m) => (
                  <li key={m.name}>
                    <Link className={linkStyles} href={`/models/${m.name}`}>
                      {m.name}
                    </Link>{" "}
                    <span className="text-sm text-slate-700 dark:text-slate-300">{m.description}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {result.versions.length > 0 && (
            <section aria-labelledby="found-versions">
              <h2 id="found-versions" className="mb-3 text-lg font-semibold">
                Versions by lineage
              </h2>
              <Table caption="Versions matching by lineage" head={["Version", "Matched", "Value", ""]}>
                {result.versions.map((v) => (
                  <tr key={`${v.model}-${v.version}`}>
                    <td className={cell}>
                      <Link className={linkStyles} href={`/models/${v.model}/versions/${v.version}`}>
                        {v.model} v{v.version}
                      </Link>
                    </td>
                    <td className={cell}>
                      <Badge>{v.matched}</Badge>
                    </td>
                    <td className={`${cell} break-all font-mono text-xs`}>{v.value}</td>
                    <td className={cell}>{!v.reproducible && <ReproBadge reproducible={false} />}</td>
                  </tr>
                ))}
              </Table>
            </section>
          )}
        </div>
      )}
    </>
  );
}
