"use client";

import { useEffect, useState } from "react";

/** False until the page's JavaScript runs: controls that need it stay disabled until then, so no click is lost. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
