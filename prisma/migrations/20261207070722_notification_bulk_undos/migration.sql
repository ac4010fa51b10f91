-- Bulk changes of an inbox and what they replaced, kept an hour for a single undo.
-- CreateTable
CREATE TABLE "notification_bulk_undos" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "workspace_id" UUID,
    "action" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_bulk_undos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_bulk_undo_rows" (
    "undo_id" UUID NOT NULL,
    "notification_id" UUID NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "archived_at" TIMESTAMPTZ(3),
    "seen_at" TIMESTAMPTZ(3),
    "snoozed_until" TIMESTAMPTZ(3),
    "after_read_at" TIMESTAMPTZ(3),
    "after_archived_at" TIMESTAMPTZ(3),
    "after_seen_at" TIMESTAMPTZ(3),
    "after_snoozed_until" TIMESTAMPTZ(3),

    CONSTRAINT "notification_bulk_undo_rows_pkey" PRIMARY KEY ("undo_id","notification_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_bulk_undos_token_hash_key" ON "notification_bulk_undos"("token_hash");

-- CreateIndex
CREATE INDEX "notification_bulk_undos_expires_at_idx" ON "notification_bulk_undos"("expires_at");

-- AddForeignKey
ALTER TABLE "notification_bulk_undo_rows" ADD CONSTRAINT "notification_bulk_undo_rows_undo_id_fkey" FOREIGN KEY ("undo_id") REFERENCES "notification_bulk_undos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

