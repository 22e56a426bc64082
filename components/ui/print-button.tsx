"use client";

import { Button } from "./button";

/** Opens the browser's print dialog (to paper or PDF); hidden on the printout itself. */
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <Button type="button" variant="secondary" className="print:hidden" onClick={() => window.print()}>
      {label}
    </Button>
  );
}
