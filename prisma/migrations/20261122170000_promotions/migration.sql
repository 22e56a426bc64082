-- AlterTable
ALTER TABLE "alias_changes" ADD COLUMN     "request_id" TEXT,
ADD COLUMN     "via" TEXT NOT NULL DEFAULT 'direct';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "notification_prefs" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "promotion_requests" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "model_id" TEXT NOT NULL,
    "version_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "status_reason" TEXT,
    "justification" TEXT NOT NULL,
    "emergency" BOOLEAN NOT NULL DEFAULT false,
    "requester_id" TEXT,
    "requester_token_id" TEXT,
    "requester_label" TEXT NOT NULL,
    "policy_default_version" INTEGER NOT NULL,
    "policy_model_version" INTEGER NOT NULL,
    "strategy" TEXT NOT NULL,
    "gates" JSONB NOT NULL,
    "gates_passed" BOOLEAN NOT NULL,
    "evidence_hash" TEXT NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,
    "from_version" INTEGER,
    "round" INTEGER NOT NULL DEFAULT 1,
    "auto_applied" BOOLEAN NOT NULL DEFAULT false,
    "superseded_by_id" TEXT,
    "review_required" BOOLEAN NOT NULL DEFAULT false,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by" TEXT,
    "review_comment" TEXT,
    "reminded_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "promotion_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "promotion_decisions" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "user_label" TEXT NOT NULL,
    "token_id" TEXT,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "roles" TEXT[],
    "evidence_hash" TEXT NOT NULL,
    "signature" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "promotion_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "request_id" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "promotion_requests_number_key" ON "promotion_requests"("number");

-- CreateIndex
CREATE INDEX "promotion_requests_model_id_alias_status_idx" ON "promotion_requests"("model_id", "alias", "status");

-- CreateIndex
CREATE INDEX "promotion_requests_status_created_at_idx" ON "promotion_requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "promotion_requests_requester_id_created_at_idx" ON "promotion_requests"("requester_id", "created_at");

-- CreateIndex
CREATE INDEX "promotion_requests_created_at_idx" ON "promotion_requests"("created_at");

-- CreateIndex
CREATE INDEX "promotion_decisions_request_id_round_idx" ON "promotion_decisions"("request_id", "round");

-- CreateIndex
CREATE INDEX "promotion_decisions_user_id_created_at_idx" ON "promotion_decisions"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_read_at_idx" ON "notifications"("user_id", "read_at");

-- CreateIndex
CREATE INDEX "outbox_messages_delivered_at_failed_at_next_attempt_at_idx" ON "outbox_messages"("delivered_at", "failed_at", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "registered_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_decisions" ADD CONSTRAINT "promotion_decisions_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "promotion_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Decisions are append-only: an approval is never edited or removed; staleness and expiry are derived from it.
CREATE FUNCTION "promotion_decisions_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'promotion_decisions is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "promotion_decisions_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "promotion_decisions"
  FOR EACH ROW EXECUTE FUNCTION "promotion_decisions_append_only"();
