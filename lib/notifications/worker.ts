import "server-only";

/**
 * Periodic background jobs in the server process: the outbox delivery pass, and whatever else registers here
 * (promotion reminders, escalation, expiry). One worker per process; every instance runs one, so each job must
 * be safe to run on several instances at once (claim rows with FOR UPDATE SKIP LOCKED, or take an advisory lock).
 *
 * Its state lives on globalThis: Next.js bundles instrumentation.ts and the app's routes separately, each with
 * its own copy of this module, and a kick from a route must reach the worker that instrumentation started.
 */
export type JobFn = (now: Date) => Promise<unknown>;

type Job = {
  name: string;
  everyMs: number;
  fn: JobFn;
  running: Promise<void> | null;
  rerun: boolean;
  timer: NodeJS.Timeout | null;
  /** When the pending timer fires (epoch ms). */
  dueAt: number;
  failingSince: number | null;
  lastLoggedAt: number;
};

type WorkerState = { jobs: Map<string, Job>; started: boolean };

const FIRST_RUN_DELAY_MS = 1_000;
// A job that keeps failing (the database is down) is reported once a minute, not on every run.
const LOG_EVERY_MS = 60_000;

function state(): WorkerState {
  const g = globalThis as { gatehouseWorker?: WorkerState };
  return (g.gatehouseWorker ??= { jobs: new Map(), started: false });
}

function schedule(job: Job, delayMs: number) {
  if (job.timer) clearTimeout(job.timer);
  job.dueAt = Date.now() + delayMs;
  job.timer = setTimeout(() => void run(job), delayMs);
  // Background work never keeps a process alive on its own (the CLI, tests, a server shutting down).
  job.timer.unref();
}

async function run(job: Job): Promise<void> {
  job.timer = null;
  if (job.running) {
    job.rerun = true;
    return job.running;
  }
  job.running = (async () => {
    try {
      await job.fn(new Date());
      if (job.failingSince !== null) console.info(`[gatehouse] job ${job.name} works again`);
      job.failingSince = null;
    } catch (err) {
      const now = Date.now();
      job.failingSince ??= now;
      if (now - job.lastLoggedAt >= LOG_EVERY_MS) {
        job.lastLoggedAt = now;
        console.error(`[gatehouse] job ${job.name} failed (it runs again in ${Math.round(job.everyMs / 1000)} s):`, err instanceof Error ? err.message : err);
      }
    }
  })();
  await job.running;
  job.running = null;
  if (!state().started) return;
  if (job.rerun) {
    job.rerun = false;
    schedule(job, 0);
  } else if (!job.timer) {
    schedule(job, job.everyMs);
  }
}

/**
 * Runs `fn` every `everyMs` milliseconds once the worker has started (at once if it already has), never two runs
 * of one job at a time. Registering a name again replaces its function and interval. Call it from
 * instrumentation.ts, so the job runs from server start rather than from the first request that loads it.
 */
export function registerJob(name: string, everyMs: number, fn: JobFn): void {
  if (!Number.isFinite(everyMs) || everyMs < 100) throw new Error(`Job ${name}: everyMs must be at least 100`);
  const s = state();
  const existing = s.jobs.get(name);
  if (existing) {
    existing.fn = fn;
    existing.everyMs = everyMs;
    return;
  }
  const job: Job = { name, everyMs, fn, running: null, rerun: false, timer: null, dueAt: 0, failingSince: null, lastLoggedAt: 0 };
  s.jobs.set(name, job);
  if (s.started) schedule(job, FIRST_RUN_DELAY_MS);
}

/** Starts every registered job (and any registered later). Returns false when this process's worker already runs. */
export function startWorker(): boolean {
  const s = state();
  if (s.started) return false;
  s.started = true;
  for (const job of s.jobs.values()) schedule(job, FIRST_RUN_DELAY_MS);
  return true;
}

/**
 * Asks for a run of `name` within `delayMs`, sooner than its interval: repeated kicks within the delay make one
 * run, and a kick during a run makes one more run after it. Does nothing when the worker is not running here.
 */
export function kickJob(name: string, delayMs = 250): void {
  const s = state();
  const job = s.jobs.get(name);
  if (!s.started || !job) return;
  if (job.running) {
    job.rerun = true;
    return;
  }
  // A pending kick is kept (debounced); a periodic run further away than the kick is brought forward.
  if (job.timer && job.dueAt <= Date.now() + delayMs) return;
  schedule(job, delayMs);
}

/** Stops every job and waits for runs in progress (tests, shutdown). Registered jobs stay registered. */
export async function stopWorker(): Promise<void> {
  const s = state();
  s.started = false;
  for (const job of s.jobs.values()) {
    if (job.timer) clearTimeout(job.timer);
    job.timer = null;
  }
  await Promise.all([...s.jobs.values()].map((j) => j.running));
}

export function isWorkerRunning(): boolean {
  return state().started;
}
