-- Models deleted through the MLflow API are archived, never removed (issue 13).
-- AlterTable
ALTER TABLE "registered_models" ADD COLUMN     "archived_at" TIMESTAMPTZ(3);
