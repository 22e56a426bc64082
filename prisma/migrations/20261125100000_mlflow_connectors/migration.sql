-- MLflow connectors and the alias moves they mirror into MLflow (issue 13).
-- CreateTable
CREATE TABLE "mlflow_connectors" (
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "tracking_uri" TEXT NOT NULL,
    "mlflow_name" TEXT NOT NULL,
    "token_sealed" TEXT,
    "interval_minutes" INTEGER NOT NULL DEFAULT 15,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "next_import_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_import_at" TIMESTAMPTZ(3),
    "last_import_status" TEXT,
    "last_import_message" TEXT,
    "aliases_adopted" BOOLEAN NOT NULL DEFAULT false,
    "drift" JSONB NOT NULL DEFAULT '[]',
    "drift_since" TIMESTAMPTZ(3),
    "import_lease_until" TIMESTAMPTZ(3),
    "removed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mlflow_connectors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mlflow_alias_syncs" (
    "id" TEXT NOT NULL,
    "connector_id" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "version" INTEGER,
    "via" TEXT NOT NULL,
    "request_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "done_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mlflow_alias_syncs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mlflow_connectors_model_id_key" ON "mlflow_connectors"("model_id");

-- CreateIndex
CREATE INDEX "mlflow_connectors_enabled_next_import_at_idx" ON "mlflow_connectors"("enabled", "next_import_at");

-- CreateIndex
CREATE INDEX "mlflow_alias_syncs_status_next_attempt_at_idx" ON "mlflow_alias_syncs"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "mlflow_alias_syncs_connector_id_alias_status_idx" ON "mlflow_alias_syncs"("connector_id", "alias", "status");

-- CreateIndex
CREATE INDEX "mlflow_alias_syncs_request_id_idx" ON "mlflow_alias_syncs"("request_id");

-- AddForeignKey
ALTER TABLE "mlflow_connectors" ADD CONSTRAINT "mlflow_connectors_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "registered_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mlflow_alias_syncs" ADD CONSTRAINT "mlflow_alias_syncs_connector_id_fkey" FOREIGN KEY ("connector_id") REFERENCES "mlflow_connectors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

