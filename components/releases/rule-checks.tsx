import { Badge, EmptyState, Table, cell } from "@/components/ui/layout";
import type { RuleCheck } from "@/lib/releases/rules";

const TONES = { pass: "good", fail: "bad", "not-applicable": "neutral" } as const;
const LABELS = { pass: "holds", fail: "broken", "not-applicable": "not applicable" } as const;

/** Every compatibility rule that applies to a release (declared, or from a member's policy) and what its check found. */
export function RuleChecks({ checks }: { checks: readonly RuleCheck[] }) {
  if (!checks.length) return <EmptyState title="No rules declared">The members&apos; policies declare none either.</EmptyState>;
  return (
    <Table caption="Compatibility rules" head={["Rule", "Source", "Status", "Found"]}>
      {checks.map((c, i) => (
        <tr key={`${c.path}-${i}`}>
          <td className={`${cell} font-medium`}>{c.rule}</td>
          <td className={cell}>{c.source}</td>
          <td className={cell}>
            <Badge tone={TONES[c.status] ?? "neutral"}>{LABELS[c.status] ?? c.status}</Badge>
          </td>
          <td className={cell}>{c.message}</td>
        </tr>
      ))}
    </Table>
  );
}
