import { Badge } from "@/components/ui/layout";
import { STATUS_LABELS, type Status } from "@/lib/promotions/state";

const TONES: Record<Status, "neutral" | "good" | "warn" | "bad" | "info"> = {
  blocked: "bad",
  "awaiting-approval": "info",
  "changes-requested": "warn",
  approved: "good",
  "rolling-out": "info",
  applied: "good",
  "rolled-back": "warn",
  rejected: "bad",
  cancelled: "neutral",
  expired: "neutral",
  superseded: "neutral",
};

export function PromotionStatusBadge({ status }: { status: Status }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{STATUS_LABELS[status] ?? status}</Badge>;
}
