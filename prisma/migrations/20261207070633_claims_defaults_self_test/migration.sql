-- AlterTable
ALTER TABLE "notification_receipts" ADD COLUMN     "claimed_elsewhere" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "claimed_by_id" UUID,
ADD COLUMN     "escalated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "notification_escalations" (
    "workspace_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "after_minutes" INTEGER NOT NULL,
    "notify_super_admins" BOOLEAN NOT NULL DEFAULT false,
    "email_admins" BOOLEAN NOT NULL DEFAULT false,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_escalations_pkey" PRIMARY KEY ("workspace_id","type")
);

-- CreateTable
CREATE TABLE "workspace_notification_defaults" (
    "workspace_id" UUID NOT NULL,
    "types" JSONB NOT NULL DEFAULT '{}',
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspace_notification_defaults_pkey" PRIMARY KEY ("workspace_id")
);

-- CreateTable
CREATE TABLE "notification_delivery_reports" (
    "notification_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "client" TEXT NOT NULL,
    "shown" BOOLEAN NOT NULL,
    "reason" TEXT,
    "round_trip_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_delivery_reports_pkey" PRIMARY KEY ("notification_id","user_id","client")
);

-- CreateIndex
CREATE INDEX "notification_delivery_reports_user_id_idx" ON "notification_delivery_reports"("user_id");

-- CreateIndex
CREATE INDEX "notifications_claimed_by_id_idx" ON "notifications"("claimed_by_id");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_claimed_by_id_fkey" FOREIGN KEY ("claimed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_escalations" ADD CONSTRAINT "notification_escalations_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workspace_notification_defaults" ADD CONSTRAINT "workspace_notification_defaults_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_delivery_reports" ADD CONSTRAINT "notification_delivery_reports_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_delivery_reports" ADD CONSTRAINT "notification_delivery_reports_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- What the escalation sweep looks through: unclaimed workspace-level notifications not yet escalated.
CREATE INDEX "notifications_escalation_candidates_idx" ON "notifications" ("created_at")
  WHERE "user_id" IS NULL AND "claimed_by_id" IS NULL AND "escalated_at" IS NULL;

-- Whether a user muted this type, or what it is about (`lead:<id>`, `job:<id>`, ...): the one
-- definition every query that picks recipients uses. Plain SQL, so the planner inlines it.
CREATE FUNCTION notification_muted(p_user_id uuid, p_type text, p_entity_key text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (SELECT 1 FROM notification_mutes mu
                  WHERE mu.user_id = p_user_id
                    AND ((mu.scope = 'type' AND mu.key = p_type) OR (mu.scope = 'entity' AND mu.key = p_entity_key)))
$$;

-- An entry another admin claimed leaves its viewer's unread and unseen counts (it stays in the
-- list, showing who claimed it). Same function as before with that one condition added.
CREATE OR REPLACE FUNCTION notification_unread_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Rows sorted by key, so two transactions touching the same counters lock them in the
  -- same order (no deadlock between them).
  IF TG_OP = 'INSERT' THEN
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread, unseen)
    SELECT user_id, workspace_id, count(*) FILTER (WHERE read_at IS NULL), count(*) FILTER (WHERE seen_at IS NULL)
      FROM new_rows
     WHERE archived_at IS NULL AND snoozed_until IS NULL AND NOT claimed_elsewhere AND (read_at IS NULL OR seen_at IS NULL)
     GROUP BY user_id, workspace_id ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread, unseen)
    SELECT user_id, workspace_id, -count(*) FILTER (WHERE read_at IS NULL), -count(*) FILTER (WHERE seen_at IS NULL)
      FROM old_rows
     WHERE archived_at IS NULL AND snoozed_until IS NULL AND NOT claimed_elsewhere AND (read_at IS NULL OR seen_at IS NULL)
     GROUP BY user_id, workspace_id ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
  ELSE
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread, unseen)
    SELECT user_id, workspace_id, sum(unread), sum(unseen) FROM (
      SELECT user_id, workspace_id, (read_at IS NULL)::int AS unread, (seen_at IS NULL)::int AS unseen
        FROM new_rows WHERE archived_at IS NULL AND snoozed_until IS NULL AND NOT claimed_elsewhere
      UNION ALL
      SELECT user_id, workspace_id, -(read_at IS NULL)::int, -(seen_at IS NULL)::int
        FROM old_rows WHERE archived_at IS NULL AND snoozed_until IS NULL AND NOT claimed_elsewhere
    ) changes
     GROUP BY user_id, workspace_id HAVING sum(unread) <> 0 OR sum(unseen) <> 0 ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
  END IF;
  RETURN NULL;
END $$;
