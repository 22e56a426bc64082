"use client";

import { Alert } from "@/components/ui/layout";
import { Button } from "@/components/ui/button";

/** Shown when a page fails to render: never a stack trace, always a way to try again. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <Alert tone="error" title="This page could not be shown">
        Something went wrong while loading it. Nothing was changed.
        {error.digest && <span className="mt-1 block text-xs">Reference: {error.digest}</span>}
      </Alert>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
