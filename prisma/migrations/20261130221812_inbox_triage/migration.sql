-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "embed_secret" TEXT,
ADD COLUMN     "embed_secret_rotated_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "scope" TEXT;

-- AlterTable
ALTER TABLE "notification_receipts" ADD COLUMN     "reason" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "seen_at" TIMESTAMPTZ(3),
ADD COLUMN     "snoozed_until" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "notification_mutes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_mutes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_mutes_user_id_scope_key_key" ON "notification_mutes"("user_id", "scope", "key");

-- CreateIndex
CREATE INDEX "notification_receipts_snoozed_until_idx" ON "notification_receipts"("snoozed_until");

-- AddForeignKey
ALTER TABLE "notification_mutes" ADD CONSTRAINT "notification_mutes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Existing inbox entries: what was read was seen, and each gets the reason it was delivered for.
UPDATE "notification_receipts" SET "seen_at" = "read_at" WHERE "read_at" IS NOT NULL;
UPDATE "notification_receipts" r
   SET "reason" = CASE
         WHEN n."user_id" IS NULL THEN 'You are an admin of ' || w."name"
         WHEN n."type" = 'task_assigned' THEN 'You were assigned this task'
         WHEN n."type" = 'task_completed' THEN 'You created this task'
         WHEN n."type" = 'reply_received' THEN 'You own this lead'
         WHEN n."type" = 'campaign_outcome' THEN 'You own this campaign'
         ELSE 'It was sent to you'
       END
  FROM "notifications" n JOIN "workspaces" w ON w."id" = n."workspace_id"
 WHERE n."id" = r."notification_id";
