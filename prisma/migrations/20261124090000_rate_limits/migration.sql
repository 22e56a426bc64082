-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "rate_limit_per_minute" INTEGER;

-- CreateTable
CREATE TABLE "sign_in_throttles" (
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "first_failure_at" TIMESTAMPTZ(3) NOT NULL,
    "last_failure_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_throttles_pkey" PRIMARY KEY ("kind","key")
);

-- CreateIndex
CREATE INDEX "sign_in_throttles_last_failure_at_idx" ON "sign_in_throttles"("last_failure_at");

