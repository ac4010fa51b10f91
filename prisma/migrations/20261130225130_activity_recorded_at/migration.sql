-- AlterTable
ALTER TABLE "activities" ADD COLUMN     "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Rows from before this column: when they say they happened is the best record there is.
UPDATE "activities" SET "recorded_at" = LEAST("created_at", "recorded_at");

-- CreateIndex
CREATE INDEX "activities_severity_recorded_at_id_idx" ON "activities"("severity", "recorded_at" DESC, "id" DESC);

