import Link from "next/link";
import { Badge, Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import type { PromotionSummary } from "@/lib/promotions/views";
import { PromotionStatusBadge } from "./status-badge";

/** Age as people say it: "3 h", "2 d". */
export function age(from: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(from)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

/** Requests as rows: what moves where, its status and why, who asked, and how long it has waited. */
export function PromotionTable({ caption, items, extra }: { caption: string; items: (PromotionSummary & { myRoles?: string[] })[]; extra?: "roles" }) {
  return (
    <Table caption={caption} head={["Request", "Move", "Team", "Status", "Requested by", ...(extra === "roles" ? ["You decide as"] : []), "Waiting", "Requested"]}>
      {items.map((p) => (
        <tr key={p.id}>
          <td className={cell}>
            <Link className={linkStyles} href={`/promotions/${p.id}`}>
              #{p.number}
            </Link>
            {p.emergency && (
              <span className="ml-2">
                <Badge tone="warn">emergency</Badge>
              </span>
            )}
            {p.release && (
              <span className="mt-1 block text-xs">
                {p.release.readable ? (
                  <Link className={linkStyles} href={`/releases/${p.release.number}`}>
                    Release {p.release.number}: {p.release.name}
                  </Link>
                ) : (
                  <>Part of release {p.release.number}, which spans other teams</>
                )}
              </span>
            )}
          </td>
          <td className={cell}>
            <span className="font-medium">{p.model}</span> v{p.version} → {p.stage} <span className="text-slate-700 dark:text-slate-300">(@{p.alias})</span>
          </td>
          <td className={cell}>{p.team}</td>
          <td className={cell}>
            <PromotionStatusBadge status={p.status} />
            {p.reviewDue && (
              <span className="ml-1">
                <Badge tone="warn">review due</Badge>
              </span>
            )}
            {p.missing.length > 0 && p.status === "awaiting-approval" && <p className="mt-1 text-xs text-slate-700 dark:text-slate-300">Needs {p.missing.map((m) => `${m.count} ${m.role}`).join(", ")}</p>}
            {p.status === "blocked" && p.statusReason && <p className="mt-1 max-w-md text-xs text-slate-700 dark:text-slate-300">{p.statusReason}</p>}
          </td>
          <td className={cell}>{p.requester}</td>
          {extra === "roles" && <td className={cell}>{(p.myRoles ?? []).join(", ")}</td>}
          <td className={cell}>{["blocked", "awaiting-approval", "changes-requested"].includes(p.status) ? age(p.createdAt) : "—"}</td>
          <td className={cell}>
            <Time value={p.createdAt} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
