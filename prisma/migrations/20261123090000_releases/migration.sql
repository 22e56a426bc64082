-- AlterTable
ALTER TABLE "promotion_requests" ADD COLUMN     "release_id" TEXT;

-- CreateTable
CREATE TABLE "releases" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "justification" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "status_reason" TEXT,
    "rules" JSONB NOT NULL DEFAULT '[]',
    "rule_check" JSONB NOT NULL DEFAULT '[]',
    "team_ids" TEXT[],
    "requester_id" TEXT,
    "requester_token_id" TEXT,
    "requester_label" TEXT NOT NULL,
    "applied_at" TIMESTAMPTZ(3),
    "rolled_back_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "releases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "releases_number_key" ON "releases"("number");

-- CreateIndex
CREATE INDEX "releases_status_created_at_idx" ON "releases"("status", "created_at");

-- CreateIndex
CREATE INDEX "releases_created_at_idx" ON "releases"("created_at");

-- CreateIndex
CREATE INDEX "promotion_requests_release_id_idx" ON "promotion_requests"("release_id");

-- AddForeignKey
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

