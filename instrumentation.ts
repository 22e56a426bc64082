/**
 * Next.js calls register() once as a server process starts: `next start`, and the custom server in
 * scripts/lib/server.mjs (its app.prepare() runs it). It starts the background worker: outbox delivery (email,
 * Slack, webhooks), and any job registered with registerJob() from lib/notifications/worker.ts; register yours here, so it
 * runs from server start rather than from the first request that happens to load its module.
 */
export async function register() {
  // NEXT_RUNTIME is set by Next.js itself, not configuration: the worker needs Node (pg, nodemailer, timers).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startOutboxWorker } = await import("@/lib/notifications/outbox");
  // Does nothing without a database (a build, or a server started before its database was configured).
  startOutboxWorker();
  const { startWebhookWorker } = await import("@/lib/webhooks/deliver");
  // Webhook deliveries: a pass every few seconds and moments after each commit that queues one.
  startWebhookWorker();
  const { databaseConfigured } = await import("@/lib/env");
  if (!databaseConfigured()) return;
  const { registerJob } = await import("@/lib/notifications/worker");
  const { runPromotionChores } = await import("@/lib/promotions/jobs");
  // Expiry, reminders and escalation of promotion requests; an advisory lock lets one instance at a time through.
  registerJob("promotion-chores", 60_000, (now) => runPromotionChores(now));
  const { pruneMetrics, RETENTION_EVERY_MS } = await import("@/lib/metrics/retention");
  // Raw metric points age out after GATEHOUSE_METRICS_RETENTION_DAYS, idempotency keys after a day; rollups stay.
  registerJob("metrics-retention", RETENTION_EVERY_MS, (now) => pruneMetrics({ now }));
  const { pruneSignInThrottles } = await import("@/lib/ratelimit/sign-in-limiter");
  // Failed sign-ins the limits no longer look at (older than half an hour) are deleted.
  registerJob("sign-in-throttle-prune", 60_000, (now) => pruneSignInThrottles({ now }));
  const { tickRollouts, tickMs } = await import("@/lib/rollouts/tick");
  // The rollout scheduler: every instance tries each tick; scheduler_ticks lets exactly one of them run it.
  registerJob("rollout-scheduler", tickMs(), async (now) => {
    const { rollouts, failed } = await tickRollouts({ now });
    // What this instance's tick did (holding and waiting for a checkpoint, the usual cases, go unsaid): one line per step taken.
    for (const r of rollouts) if (r.action !== "hold" && r.action !== "wait") console.log(`[gatehouse] rollout ${r.number}: ${r.action} (${r.reason})`);
    for (const f of failed) console.error(`[gatehouse] rollout ${f.id} could not be judged this tick: ${f.error}`);
  });
  const { startMlflowWorker } = await import("@/lib/mlflow/alias-sync");
  // MLflow connectors: scheduled imports, and alias moves sent to MLflow (retried until MLflow takes them).
  startMlflowWorker();
  const { env } = await import("@/lib/env");
  if (env().GATEHOUSE_DEMO_SIMULATOR) {
    const { startDemoSimulator } = await import("@/lib/rollouts/simulate");
    // npm start on the demo database: the demo's rollouts get simulated live traffic (never under npm test).
    startDemoSimulator();
  }
}

/**
 * Next calls this for every error a page, server action or route handler throws. One that means the database is
 * unreachable makes the server check it and, while it stays down, answer 503 with a friendly page at once.
 */
export async function onRequestError(err: unknown) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { isDatabaseUnavailable, reportDatabaseUnavailable } = await import("@/lib/api/errors");
  if (isDatabaseUnavailable(err)) reportDatabaseUnavailable();
}
