import Link from "next/link";
import { Card, Table, cell } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { lineDiff } from "@/lib/policy/diff";
import type { PolicyVersionView } from "@/lib/policy/policies";
import { NumberedText, PolicyDiff } from "./policy-diff";
import { PolicyEditor } from "./policy-editor";

type Props = {
  basePath: string;
  model: string | null;
  current: PolicyVersionView;
  shown: PolicyVersionView;
  versions: PolicyVersionView[];
  diff: { from: PolicyVersionView; to: PolicyVersionView } | null;
  canEdit: boolean;
};

/** The policy screen shared by the organisation default and model policies: text, editor, history and diffs. */
export function PolicyScreen({ basePath, model, current, shown, versions, diff, canEdit }: Props) {
  const label = (v: PolicyVersionView) => (v.version === 0 ? (model ? "v0 (inherits the default)" : "v0 (built in)") : `v${v.version}`);
  return (
    <div className="space-y-6">
      {diff ? (
        <Card title={`Changes from ${label(diff.from)} to ${label(diff.to)}`}>
          <PolicyDiff lines={lineDiff(diff.from.document, diff.to.document)} caption={`Policy ${label(diff.from)} → ${label(diff.to)}`} />
          <p className="mt-3 text-sm">
            {label(diff.to)} saved by {diff.to.author}
            {diff.to.createdAt && (
              <>
                {" "}
                <Time value={diff.to.createdAt} />
              </>
            )}
            : “{diff.to.comment}”
          </p>
        </Card>
      ) : (
        <Card title={shown.current ? `In force: ${label(shown)}` : `${label(shown)} (superseded by ${label(current)})`}>
          <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
            {shown.version === 0 ? shown.comment : <>Saved by {shown.author}{shown.createdAt && <> <Time value={shown.createdAt} /></>}: “{shown.comment}”</>}
          </p>
          {canEdit && shown.current ? <PolicyEditor model={model} saved={shown.document} version={shown.version} /> : <NumberedText text={shown.document} label={`Policy ${label(shown)}`} />}
          {!canEdit && <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">Only admins change policies (or CI with a policies:write token).</p>}
        </Card>
      )}

      <Card title="History">
        <form method="get" action={basePath} className="mb-4 flex flex-wrap items-end gap-2" aria-label="Compare two versions">
          {(["from", "to"] as const).map((k) => (
            <div key={k} className="space-y-1">
              <label htmlFor={`diff-${k}`} className="block text-sm font-medium">
                {k === "from" ? "From" : "To"}
              </label>
              <select id={`diff-${k}`} name={k} defaultValue={String(k === "from" ? (diff?.from.version ?? Math.max(0, current.version - 1)) : (diff?.to.version ?? current.version))} className={inputStyles}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {label(v)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
            Show changes
          </button>
        </form>
        <Table caption="Policy versions" head={["Version", "Saved by", "When", "Why", ""]}>
          {versions.map((v) => (
            <tr key={v.version}>
              <td className={cell}>
                <Link className={linkStyles} href={`${basePath}?version=${v.version}`}>
                  {label(v)}
                </Link>
                {v.current && " (in force)"}
              </td>
              <td className={cell}>{v.author}</td>
              <td className={cell}>{v.createdAt ? <Time value={v.createdAt} /> : "—"}</td>
              <td className={cell}>{v.comment}</td>
              <td className={cell}>
                {v.version > 0 && (
                  <Link className={linkStyles} href={`${basePath}?from=${v.version - 1}&to=${v.version}`} aria-label={`Changes in ${label(v)}`}>
                    Changes
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
