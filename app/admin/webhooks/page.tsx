import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/components/ui/forbidden";
import { Alert, Badge, Card, EmptyState, PageHeader, Pagination, Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { CreateWebhookForm } from "@/components/webhooks/webhook-forms";
import { checkPagePermission } from "@/lib/auth/actor";
import { ZPageQuery } from "@/lib/pagination";
import { listWebhooks } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("webhooks.manage");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const search = await searchParams;
  const params = ZPageQuery.safeParse({ cursor: search.cursor, limit: 25 });
  const query = params.success ? params.data : { cursor: undefined, limit: 25 };
  const page = await listWebhooks({ actor: gate.actor, cursor: query.cursor, limit: query.limit });
  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Other systems hear about promotions and alias moves through signed HTTP POSTs to these endpoints, sent after each change commits and retried when the receiver fails. Receivers
            verify each delivery&apos;s signature as <code className="font-mono text-xs">docs/webhooks.md</code> shows.
          </>
        }
      />
      {search.deleted && (
        <div className="mb-6">
          <Alert tone="success">The webhook was deleted.</Alert>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {page.items.length === 0 ? (
            <EmptyState title="No webhooks yet">Register one for each system that should hear about promotions: a deploy pipeline, a chat channel&apos;s bot, a change log.</EmptyState>
          ) : (
            <Table caption="Webhooks" head={["Endpoint", "Events", "Status", "Created"]}>
              {page.items.map((w) => (
                <tr key={w.id}>
                  <td className={`${cell} max-w-sm break-all`}>
                    <Link className={linkStyles} href={`/admin/webhooks/${w.id}`}>
                      {w.url}
                    </Link>
                    {w.description && <div className="text-xs text-slate-700 dark:text-slate-300">{w.description}</div>}
                  </td>
                  <td className={cell}>
                    <div className="flex flex-wrap gap-1">
                      {w.events.map((e) => (
                        <Badge key={e}>{e === "*" ? "every event" : e}</Badge>
                      ))}
                    </div>
                  </td>
                  <td className={cell}>{w.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="warn">disabled</Badge>}</td>
                  <td className={cell}>
                    <Time value={w.createdAt} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
          <Pagination basePath="/admin/webhooks" params={{}} nextCursor={page.nextCursor} hasPrevious={Boolean(query.cursor)} />
        </div>
        <Card title="Register a webhook">
          <CreateWebhookForm />
        </Card>
      </div>
    </>
  );
}
