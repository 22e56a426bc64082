import type { FreezeWindow } from "./schema";

/**
 * Freeze windows: production promotions are refused while one is active, except through the emergency path. Pure.
 * A dated window is active from `start` (inclusive) to `end` (exclusive). A weekly window is active on its days from
 * `from` to `to` in its time zone; when `to` is not after `from` it runs overnight into the next day (a Friday
 * 16:00–09:00 window covers Friday evening until Saturday 09:00).
 */
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

function localTime(now: Date, timeZone: string): { day: (typeof DAYS)[number]; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { day: get("weekday").slice(0, 3).toLowerCase() as (typeof DAYS)[number], minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isFrozen(window: FreezeWindow, now: Date): boolean {
  if ("start" in window) return now.getTime() >= Date.parse(window.start) && now.getTime() < Date.parse(window.end);
  const { day, minutes } = localTime(now, window.timezone);
  const from = toMinutes(window.weekly.from);
  const to = toMinutes(window.weekly.to);
  const days = window.weekly.days as readonly string[];
  if (from < to) return days.includes(day) && minutes >= from && minutes < to;
  const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7];
  return (days.includes(day) && minutes >= from) || (days.includes(yesterday) && minutes < to);
}

export type FreezeStatus = { frozen: false } | { frozen: true; window: string; summary: string };

/** The first active window, described for people. */
export function freezeStatus(windows: readonly FreezeWindow[], now: Date): FreezeStatus {
  const active = windows.find((w) => isFrozen(w, now));
  if (!active) return { frozen: false };
  const until = "end" in active ? `until ${active.end}` : `${active.weekly.days.join(", ")} ${active.weekly.from}–${active.weekly.to} ${active.timezone}`;
  return { frozen: true, window: active.name, summary: `Production promotions are frozen (${active.name}, ${until}); only the emergency path can promote now.` };
}
