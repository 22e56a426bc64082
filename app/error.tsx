"use client";

import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/layout";
import { Button } from "@/components/ui/button";

/**
 * Shown when a page fails to render: never a stack trace, always a way to try again. In production the browser
 * gets no error message, so it asks the health check whether the database is the cause, and says so if it is.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [databaseDown, setDatabaseDown] = useState(false);
  useEffect(() => {
    fetch("/api/v1/health", { cache: "no-store" })
      .then((r) => r.json())
      .then((h: { database?: { reachable?: boolean } }) => setDatabaseDown(h.database?.reachable === false))
      .catch(() => {});
  }, [error]);
  return (
    <div className="mx-auto max-w-xl space-y-4">
      {databaseDown ? (
        <Alert tone="error" title="Gatehouse cannot reach its database right now">
          No change is ever half-done: each one either finished before this happened or did not happen at all. Try again in a moment.
        </Alert>
      ) : (
        <Alert tone="error" title="This page could not be shown">
          Something went wrong while loading it. Nothing was changed.
          {error.digest && <span className="mt-1 block text-xs">Reference: {error.digest}</span>}
        </Alert>
      )}
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
