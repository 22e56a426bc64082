import Link from "next/link";
import { Badge } from "@/components/ui/layout";

export function RiskBadge({ tier }: { tier: string }) {
  return tier === "regulated" ? <Badge tone="warn">regulated</Badge> : <Badge>standard</Badge>;
}

/** "Not reproducible" is shown wherever a version appears, with what is missing on hover and for screen readers. */
export function ReproBadge({ reproducible, missing = [] }: { reproducible: boolean; missing?: string[] }) {
  if (reproducible) return <Badge tone="good">reproducible</Badge>;
  return (
    <span title={missing.length ? `Missing: ${missing.join(", ")}` : undefined}>
      <Badge tone="bad">not reproducible</Badge>
      {missing.length > 0 && <span className="sr-only"> (missing {missing.join(", ")})</span>}
    </span>
  );
}

export function AliasBadge({ model, alias, version }: { model: string; alias: string; version?: number }) {
  return (
    <Link href={version ? `/models/${model}/versions/${version}` : `/models/${model}`} className="inline-flex">
      <Badge tone="info">
        @{alias}
        {version !== undefined && ` → v${version}`}
      </Badge>
    </Link>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return status === "archived" ? <Badge>archived</Badge> : <Badge tone="good">ready</Badge>;
}

export const shortHash = (value: string | null | undefined, n = 12) => (value ? (value.length > n + 8 ? `${value.slice(0, n)}…` : value) : "—");
