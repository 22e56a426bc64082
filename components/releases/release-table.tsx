import Link from "next/link";
import { age } from "@/components/promotions/promotion-table";
import { Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import type { ReleaseSummary } from "@/lib/releases/views";
import { ReleaseStatusBadge } from "./status-badge";

/** "encoder v2 → staging, ranker v2 → staging": what a release moves, in one line. */
export const membersLine = (members: ReleaseSummary["members"]) => members.map((m) => `${m.model} v${m.version} → ${m.stage}`).join(", ");

/** Releases as rows: what they move together, where they are and why, who asked, and how long they have been open. */
export function ReleaseTable({ caption, items }: { caption: string; items: readonly ReleaseSummary[] }) {
  return (
    <Table caption={caption} head={["Release", "Status", "Members", "Requested by", "Open for", "Requested"]}>
      {items.map((r) => (
        <tr key={r.id}>
          <td className={cell}>
            <Link className={linkStyles} href={`/releases/${r.number}`}>
              Release {r.number}: {r.name}
            </Link>
          </td>
          <td className={cell}>
            <ReleaseStatusBadge status={r.status} />
            {r.statusReason && <p className="mt-1 max-w-sm text-xs text-slate-700 dark:text-slate-300">{r.statusReason}</p>}
          </td>
          <td className={cell}>{membersLine(r.members)}</td>
          <td className={cell}>{r.requester}</td>
          <td className={cell}>{r.status === "open" || r.status === "rolling-out" ? age(r.createdAt) : "—"}</td>
          <td className={cell}>
            <Time value={r.createdAt} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
