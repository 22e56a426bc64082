import type { Metadata } from "next";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { AutoRefresh, DeleteWebhookButton, EnableToggle, RotateSecretForm, SendTestButton } from "@/components/webhooks/webhook-controls";
import { WebhookSettingsForm } from "@/components/webhooks/webhook-forms";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, Badge, Card, PageHeader, Pagination } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { listWebhookDeliveries } from "@/lib/webhooks/deliveries";
import { getWebhook } from "@/lib/webhooks/endpoints";
import { ZListDeliveriesQuery } from "@/lib/webhooks/schemas";

export const metadata: Metadata = { title: "Webhook" };


export default async function WebhookPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("webhooks.manage");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { id } = await params;
  const webhook = await orNotFound(getWebhook({ actor: gate.actor, id }));
  const parsed = ZListDeliveriesQuery.safeParse({ cursor: (await searchParams).cursor, limit: 25 });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const deliveries = await listWebhookDeliveries({ actor: gate.actor, id: webhook.id, query });
  // A queued delivery keeps the page refreshing for a while, so its outcome shows without a reload. (One being sent
  // right now is leased a few minutes ahead, so "due soon" would miss exactly the ones about to finish.)
  const queued = deliveries.items.filter((d) => d.status === "pending").map((d) => d.id);
  const counts = webhook.deliveryCounts;
  return (
    <>
      <BackLink href="/admin/webhooks">All webhooks</BackLink>
      <PageHeader
        title={webhook.url}
        description={webhook.description || undefined}
        actions={webhook.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="warn">disabled</Badge>}
      />
      {/* Remounted (its time limit starts again) whenever another delivery is queued. */}
      <AutoRefresh key={queued.join()} active={queued.length > 0} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Settings" className="lg:col-span-2">
          <WebhookSettingsForm webhook={webhook} />
        </Card>
        <div className="space-y-6">
          <Card title="Delivery">
            <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-700 dark:text-slate-300">Delivered</dt>
              <dd>{counts.delivered}</dd>
              <dt className="text-slate-700 dark:text-slate-300">Queued</dt>
              <dd>{counts.pending}</dd>
              <dt className="text-slate-700 dark:text-slate-300">Failed</dt>
              <dd>{counts.failed}</dd>
              <dt className="text-slate-700 dark:text-slate-300">Registered</dt>
              <dd>
                <Time value={webhook.createdAt} /> by {webhook.createdBy}
              </dd>
            </dl>
            <div className="space-y-4">
              <SendTestButton id={webhook.id} enabled={webhook.enabled} />
              <EnableToggle id={webhook.id} enabled={webhook.enabled} />
            </div>
          </Card>
          <Card title="Signing secret">
            <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
              Set <Time value={webhook.secretSetAt} />. Lost it, or leaked? Rotate it, then give the receiver the new one.
            </p>
            <RotateSecretForm id={webhook.id} />
          </Card>
          <Card title="Delete">
            <DeleteWebhookButton id={webhook.id} url={webhook.url} />
          </Card>
        </div>
      </div>
      <section className="mt-8" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading" className="mb-3 text-lg font-semibold">
          Deliveries
        </h2>
        <DeliveryLog webhookId={webhook.id} deliveries={deliveries.items} enabled={webhook.enabled} />
        <Pagination basePath={`/admin/webhooks/${webhook.id}`} params={{}} nextCursor={deliveries.nextCursor} hasPrevious={Boolean(query.cursor)} />
      </section>
    </>
  );
}
