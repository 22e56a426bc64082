import { Badge } from "@/components/ui/layout";
import { RELEASE_STATUS_LABELS, type ReleaseStatus } from "@/lib/releases/state";

const TONES: Record<ReleaseStatus, "neutral" | "good" | "warn" | "bad" | "info"> = {
  open: "info",
  "rolling-out": "info",
  applied: "good",
  "rolled-back": "warn",
  rejected: "bad",
  cancelled: "neutral",
  expired: "neutral",
  superseded: "neutral",
};

export function ReleaseStatusBadge({ status }: { status: ReleaseStatus }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{RELEASE_STATUS_LABELS[status] ?? status}</Badge>;
}
