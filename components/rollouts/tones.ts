/** How rollout statuses and verdict outcomes look, shared by the tables, the summary and the incident pages. */
type Tone = "neutral" | "good" | "warn" | "bad" | "info";

export const STATUS_TONES: Record<string, Tone> = {
  running: "info",
  paused: "warn",
  waiting: "warn",
  watching: "good",
  completed: "good",
  "rolled-back": "bad",
  aborted: "neutral",
};

export const OUTCOME_TONES: Record<string, Tone> = {
  pass: "good",
  marginal: "warn",
  fail: "bad",
  high: "bad",
  low: "bad",
  "no-data": "neutral",
  "too-little-data": "neutral",
  "no-champion": "neutral",
};

export const OUTCOME_LABELS: Record<string, string> = { "no-data": "no data", "too-little-data": "too little data", "no-champion": "no champion" };

export const INCIDENT_TONES: Record<string, Tone> = { open: "bad", acknowledged: "warn", resolved: "good" };
