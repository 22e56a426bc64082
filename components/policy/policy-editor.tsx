"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/layout";
import { inputStyles } from "@/components/ui/styles";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { PolicyActionResult } from "@/app/policies/actions";
import { checkPolicyAction, savePolicyAction } from "@/app/policies/actions";
import { lineDiff } from "@/lib/policy/diff";
import type { PolicyError } from "@/lib/policy/parse";
import { PolicyDiff } from "./policy-diff";

/**
 * The policy editor: YAML with line numbers, "Check" for every problem at its line and column (each one a button
 * that puts the cursor there), then "Review changes" shows the diff against the saved version and asks why before
 * saving. Nothing is saved until the reviewed diff is confirmed with a comment.
 */
export function PolicyEditor({ model, saved, version }: { model: string | null; saved: string; version: number }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const id = useId();
  const [text, setText] = useState(saved);
  const [comment, setComment] = useState("");
  const [result, setResult] = useState<PolicyActionResult | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [pending, startTransition] = useTransition();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = useMemo(() => text.split("\n").length, [text]);
  const errors: PolicyError[] = result?.status === "error" ? result.errors : [];
  const errorLines = new Set(errors.map((e) => e.line));
  const changed = text !== saved;

  const goTo = (e: PolicyError) => {
    const el = area.current;
    if (!el) return;
    const lines = text.split("\n");
    const offset = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, e.column - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
    el.scrollTop = Math.max(0, (e.line - 3) * 20);
  };

  const check = (then?: () => void) =>
    startTransition(async () => {
      const r = await checkPolicyAction(model, text);
      setResult(r);
      if (r.status === "ok") then?.();
    });

  const save = () =>
    startTransition(async () => {
      const r = await savePolicyAction(model, { document: text, comment, expectedVersion: version });
      setResult(r);
      if (r.status === "ok") {
        setReviewing(false);
        setComment("");
        router.refresh();
      }
    });

  return (
    <div className="space-y-3">
      <label htmlFor={`${id}-text`} className="block text-sm font-medium">
        Policy YAML {changed && <span className="font-normal text-amber-800 dark:text-amber-200">(edited, not saved)</span>}
      </label>
      <div className="flex max-h-[36rem] overflow-hidden rounded border border-slate-300 dark:border-slate-700">
        <div ref={gutter} aria-hidden="true" className="select-none overflow-hidden bg-slate-100 py-2 font-mono text-xs leading-5 text-slate-600 dark:bg-slate-800 dark:text-slate-400">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={`px-2 text-right ${errorLines.has(i + 1) ? "bg-red-200 font-bold text-red-900 dark:bg-red-900 dark:text-red-100" : ""}`}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          id={`${id}-text`}
          value={text}
          spellCheck={false}
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={errors.length ? `${id}-errors` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setReviewing(false);
          }}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          rows={Math.min(30, Math.max(12, lineCount + 1))}
          wrap="off"
          className="min-h-[16rem] w-full resize-y overflow-auto bg-white px-3 py-2 font-mono text-xs leading-5 text-slate-900 focus:outline-none dark:bg-slate-950 dark:text-slate-100"
        />
      </div>

      {result?.status === "error" && (
        <div id={`${id}-errors`}>
          <Alert tone="error" title={result.message}>
            {errors.length > 0 && (
              <ul className="mt-1 space-y-1">
                {errors.map((e, i) => (
                  <li key={i}>
                    <button type="button" className="text-left underline decoration-dotted underline-offset-2" onClick={() => goTo(e)}>
                      Line {e.line}, column {e.column}
                    </button>{" "}
                    <span className="font-mono text-xs">{e.path}</span>: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        </div>
      )}
      {result?.status === "ok" && (
        <Alert tone="success">{result.message}</Alert>
      )}

      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" disabled={!hydrated || pending} onClick={() => check()}>
          Check
        </Button>
        <Button type="button" disabled={!hydrated || pending || !changed} onClick={() => check(() => setReviewing(true))}>
          Review changes
        </Button>
        {changed && (
          <Button
            type="button"
            variant="ghost"
            disabled={!hydrated || pending}
            onClick={() => {
              setText(saved);
              setResult(null);
              setReviewing(false);
            }}
          >
            Discard edits
          </Button>
        )}
      </div>

      {reviewing && (
        <section aria-label="Review and save" className="space-y-3 rounded border border-slate-200 p-4 dark:border-slate-800">
          <PolicyDiff lines={lineDiff(saved, text)} caption={`Changes against version ${version}`} />
          <div className="space-y-1">
            <label htmlFor={`${id}-comment`} className="block text-sm font-medium">
              Why does the policy change?
            </label>
            <textarea id={`${id}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} rows={2} className={inputStyles} required aria-describedby={`${id}-comment-hint`} />
            <p id={`${id}-comment-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              Kept with the new version and in the audit log.
            </p>
            {result?.status === "error" && result.fieldErrors.comment && <p className="text-sm text-red-700 dark:text-red-400">{result.fieldErrors.comment}</p>}
          </div>
          <div className="flex gap-2">
            <Button type="button" disabled={!hydrated || pending || comment.trim() === ""} onClick={save}>
              {pending ? "Saving…" : `Save as version ${version + 1}`}
            </Button>
            <Button type="button" variant="secondary" disabled={pending} onClick={() => setReviewing(false)}>
              Back to editing
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
