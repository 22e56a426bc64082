"use client";

import { useEffect, useState } from "react";
import { useHydrated } from "./use-hydrated";

const CHOICES = ["system", "light", "dark"] as const;
type Choice = (typeof CHOICES)[number];
const LABEL: Record<Choice, string> = { system: "System", light: "Light", dark: "Dark" };
const ICON: Record<Choice, string> = { system: "◐", light: "☀", dark: "☾" };

/** Cycles system → light → dark; the choice is stored in this browser only. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<Choice>("system");
  const hydrated = useHydrated();
  useEffect(() => {
    const stored = document.documentElement.dataset.theme as Choice | undefined;
    if (stored && CHOICES.includes(stored)) setChoice(stored);
  }, []);

  function next() {
    const value = CHOICES[(CHOICES.indexOf(choice) + 1) % CHOICES.length];
    try {
      localStorage.setItem("gatehouse-theme", value);
    } catch {
      // Storage can be disabled; the theme still changes for this page.
    }
    document.documentElement.dataset.theme = value;
    window.dispatchEvent(new Event("gatehouse-theme"));
    setChoice(value);
  }

  return (
    <button
      type="button"
      onClick={next}
      disabled={!hydrated}
      className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
      title="Change the colour theme"
      data-testid="theme-toggle"
    >
      <span aria-hidden="true">{ICON[choice]}</span>
      <span>Theme: {LABEL[choice]}</span>
    </button>
  );
}
