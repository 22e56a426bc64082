-- CreateTable
CREATE TABLE "audit_verifications" (
    "id" BIGSERIAL NOT NULL,
    "verified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "checked" INTEGER NOT NULL,
    "first_broken_id" TEXT,
    "head_id" BIGINT,
    "head_hash" TEXT,
    "actor_label" TEXT NOT NULL,

    CONSTRAINT "audit_verifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_verifications_verified_at_idx" ON "audit_verifications"("verified_at");

