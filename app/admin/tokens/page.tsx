import type { Metadata } from "next";
import { CreateTokenForm, RevokeTokenButton } from "@/components/admin/token-forms";
import { Forbidden } from "@/components/ui/forbidden";
import { Badge, Card, EmptyState, PageHeader, Pagination, Table, cell } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import { checkPagePermission } from "@/lib/auth/actor";
import { ZListQuery } from "@/lib/auth/schemas";
import { listTokens } from "@/lib/auth/tokens";
import { defaultApiRateLimit } from "@/lib/ratelimit/api-limiter";
import { rateLimitLabel } from "@/lib/ratelimit/words";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("tokens.manage");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const params = ZListQuery.safeParse({ ...(await searchParams), limit: 25 });
  const query = params.success ? params.data : { cursor: undefined, limit: 25 };
  const page = await listTokens({ actor: gate.actor, cursor: query.cursor, limit: query.limit });
  const defaultRateLimit = defaultApiRateLimit();
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let CI pipelines and the serving layer call the REST API. A user token acts with its user's roles; a service token holds only its scopes."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {page.items.length === 0 ? (
            <EmptyState title="No active tokens">Create one for each pipeline or service, so each can be revoked on its own.</EmptyState>
          ) : (
            <Table caption="Active API tokens" head={["Token", "Acts as", "Rate limit", "Created", "Last used", ""]}>
              {page.items.map((t) => (
                <tr key={t.id}>
                  <td className={cell}>
                    <div className="font-medium">{t.name}</div>
                    <code className="font-mono text-xs text-slate-700 dark:text-slate-300">{t.prefix}…</code>
                  </td>
                  <td className={cell}>
                    {t.kind === "user" ? (
                      <span>user {t.user?.email}</span>
                    ) : (
                      <div className="flex flex-wrap gap-1">
                        {t.scopes.map((s) => (
                          <Badge key={s}>{s}</Badge>
                        ))}
                      </div>
                    )}
                  </td>
                  <td className={cell}>
                    {t.rateLimitPerMinute === null ? (
                      <span className="text-slate-700 dark:text-slate-300">{rateLimitLabel(defaultRateLimit)} (default)</span>
                    ) : (
                      <span>{rateLimitLabel(t.rateLimitPerMinute)}</span>
                    )}
                  </td>
                  <td className={cell}>
                    <Time value={t.createdAt} />
                  </td>
                  <td className={cell}>
                    <Time value={t.lastUsedAt} fallback="never" />
                  </td>
                  <td className={`${cell} text-right`}>
                    <RevokeTokenButton id={t.id} name={t.name} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
          <Pagination basePath="/admin/tokens" params={{}} nextCursor={page.nextCursor} hasPrevious={Boolean(query.cursor)} />
        </div>
        <Card title="Create a token">
          <CreateTokenForm defaultRateLimit={defaultRateLimit} />
        </Card>
      </div>
    </>
  );
}
