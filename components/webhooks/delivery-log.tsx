import { Badge, EmptyState, Table, cell } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import type { DeliveryView } from "@/lib/webhooks/views";
import { RedeliverButton } from "./webhook-controls";

const TONES = { delivered: "good", pending: "info", failed: "bad" } as const;

/** An endpoint's deliveries, newest first: what was sent, how the receiver answered, and what happens next. */
export function DeliveryLog({ webhookId, deliveries, enabled }: { webhookId: string; deliveries: DeliveryView[]; enabled: boolean }) {
  if (deliveries.length === 0) {
    return <EmptyState title="No deliveries yet">Events this webhook subscribes to appear here once they happen. Send a test event to check the receiver now.</EmptyState>;
  }
  return (
    <Table caption="Deliveries" head={["Delivery", "Status", "Attempts", "Response", "Last error", "Next attempt", ""]}>
      {deliveries.map((d) => (
        <tr key={d.id} data-testid="delivery-row">
          <td className={cell}>
            <div className="font-medium">
              <code className="font-mono text-xs">{d.event}</code>
            </div>
            <div className="font-mono text-xs text-slate-700 dark:text-slate-300" title="X-Gatehouse-Delivery-Id">
              {d.id}
            </div>
            <div className="text-xs text-slate-700 dark:text-slate-300">
              <Time value={d.createdAt} />
            </div>
          </td>
          <td className={cell}>
            <Badge tone={TONES[d.status]}>{d.status}</Badge>
            {d.redeliveries > 0 && <div className="mt-1 text-xs text-slate-700 dark:text-slate-300">redelivered {d.redeliveries}×</div>}
          </td>
          <td className={cell}>{d.attempts}</td>
          <td className={cell}>
            {d.responseStatus === null ? "—" : <span>HTTP {d.responseStatus}</span>}
            {d.durationMs !== null && <div className="text-xs text-slate-700 dark:text-slate-300">{d.durationMs} ms</div>}
          </td>
          <td className={`${cell} max-w-xs break-words text-xs`}>{d.lastError ?? "—"}</td>
          <td className={cell}>
            <Time value={d.nextAttemptAt} />
          </td>
          <td className={`${cell} text-right`}>{d.status !== "pending" && enabled && <RedeliverButton id={webhookId} deliveryId={d.id} event={d.event} />}</td>
        </tr>
      ))}
    </Table>
  );
}
