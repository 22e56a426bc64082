export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 text-sm text-slate-700 dark:text-slate-300">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" aria-hidden="true" />
      Loading webhooks…
    </div>
  );
}
