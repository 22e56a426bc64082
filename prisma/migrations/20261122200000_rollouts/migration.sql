-- CreateTable
CREATE TABLE "rollouts" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "model_id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "champion_version_id" TEXT,
    "champion_version" INTEGER,
    "challenger_version_id" TEXT NOT NULL,
    "challenger_version" INTEGER NOT NULL,
    "strategy" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "step_index" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "traffic_percent" DOUBLE PRECISION NOT NULL,
    "step_started_at" TIMESTAMPTZ(3) NOT NULL,
    "paused_at" TIMESTAMPTZ(3),
    "paused_seconds" INTEGER NOT NULL DEFAULT 0,
    "waiting_for" TEXT,
    "status_reason" TEXT,
    "verdict" JSONB,
    "judged_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "watch_until" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_events" (
    "id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "step_index" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "traffic_percent" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL,
    "actor_label" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_decisions" (
    "id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "checkpoint" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "user_label" TEXT NOT NULL,
    "token_id" TEXT,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "roles" TEXT[],
    "signature" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_judgements" (
    "id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "step_index" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "metrics" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_judgements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "model_id" TEXT NOT NULL,
    "rollout_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "criteria" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "champion_version" INTEGER,
    "challenger_version" INTEGER NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by_id" TEXT,
    "acknowledged_by" TEXT,
    "acknowledge_comment" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" TEXT,
    "resolved_by" TEXT,
    "resolve_comment" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_points" (
    "id" BIGSERIAL NOT NULL,
    "model_id" TEXT NOT NULL,
    "version_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "window_start" TIMESTAMPTZ(3),
    "value" DOUBLE PRECISION,
    "count" DOUBLE PRECISION,
    "sum" DOUBLE PRECISION,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "p50" DOUBLE PRECISION,
    "p95" DOUBLE PRECISION,
    "p99" DOUBLE PRECISION,
    "numerator" DOUBLE PRECISION,
    "denominator" DOUBLE PRECISION,
    "dims" TEXT NOT NULL DEFAULT '',
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_points_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_rollups" (
    "model_id" TEXT NOT NULL,
    "version_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "dims" TEXT NOT NULL DEFAULT '',
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "items" INTEGER NOT NULL,
    "count" DOUBLE PRECISION NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "p50_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p95_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p99_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p_weight" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "numerator" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "denominator" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "metric_rollups_pkey" PRIMARY KEY ("model_id","metric","version_id","dims","bucket")
);

-- CreateTable
CREATE TABLE "metric_batches" (
    "model_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_batches_pkey" PRIMARY KEY ("model_id","key")
);

-- CreateTable
CREATE TABLE "scheduler_ticks" (
    "name" TEXT NOT NULL,
    "tick" BIGINT NOT NULL,
    "ran_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "scheduler_ticks_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "rollouts_number_key" ON "rollouts"("number");

-- CreateIndex
CREATE UNIQUE INDEX "rollouts_request_id_key" ON "rollouts"("request_id");

-- CreateIndex
CREATE INDEX "rollouts_model_id_started_at_idx" ON "rollouts"("model_id", "started_at");

-- CreateIndex
CREATE INDEX "rollouts_status_idx" ON "rollouts"("status");

-- CreateIndex
CREATE INDEX "rollout_events_rollout_id_created_at_idx" ON "rollout_events"("rollout_id", "created_at");

-- CreateIndex
CREATE INDEX "rollout_decisions_rollout_id_checkpoint_idx" ON "rollout_decisions"("rollout_id", "checkpoint");

-- CreateIndex
CREATE INDEX "rollout_judgements_rollout_id_created_at_idx" ON "rollout_judgements"("rollout_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_number_key" ON "incidents"("number");

-- CreateIndex
CREATE INDEX "incidents_status_opened_at_idx" ON "incidents"("status", "opened_at");

-- CreateIndex
CREATE INDEX "incidents_model_id_opened_at_idx" ON "incidents"("model_id", "opened_at");

-- CreateIndex
CREATE INDEX "metric_points_model_id_metric_version_id_at_idx" ON "metric_points"("model_id", "metric", "version_id", "at");

-- CreateIndex
CREATE INDEX "metric_points_received_at_idx" ON "metric_points"("received_at");

-- CreateIndex
CREATE INDEX "metric_batches_created_at_idx" ON "metric_batches"("created_at");

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "registered_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "promotion_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_events" ADD CONSTRAINT "rollout_events_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_decisions" ADD CONSTRAINT "rollout_decisions_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_judgements" ADD CONSTRAINT "rollout_judgements_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "registered_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Checkpoint decisions are append-only, like promotion decisions.
CREATE FUNCTION "rollout_decisions_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rollout_decisions is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "rollout_decisions_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "rollout_decisions"
  FOR EACH ROW EXECUTE FUNCTION "rollout_decisions_append_only"();
