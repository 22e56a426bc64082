import type { ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { linkStyles } from "@/components/ui/styles";

/** One labelled value of a lineage or environment panel: copyable when it is an identifier, a link when it is a URL. */
export function HashRow({ label, value, href, copy = true }: { label: string; value: string | null | undefined; href?: string | null; copy?: boolean }) {
  let shown: ReactNode = <span className="text-slate-700 dark:text-slate-300">—</span>;
  if (value) {
    shown = href ? (
      <a className={`${linkStyles} break-all`} href={href} target="_blank" rel="noreferrer noopener">
        {value}
      </a>
    ) : (
      <span className="break-all font-mono text-xs">{value}</span>
    );
  }
  return (
    <>
      <dt className="text-sm text-slate-700 dark:text-slate-300">{label}</dt>
      <dd className="flex items-start gap-2">
        {shown}
        {value && copy && <CopyButton value={value} label={label} />}
      </dd>
    </>
  );
}
