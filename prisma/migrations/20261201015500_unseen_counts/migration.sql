-- The badge counts unseen entries and hides snoozed ones, so the maintained counters hold both
-- numbers for the entries that count: not archived and not snoozed. An entry whose snooze has
-- ended counts again once the waker clears `snoozed_until` (the trigger then adds it); until
-- then the count query adds it from the partial index below.
ALTER TABLE "notification_unread_counts" ADD COLUMN "unseen" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "notification_receipts_snoozed_by_user_idx" ON "notification_receipts" ("user_id", "snoozed_until")
  WHERE "snoozed_until" IS NOT NULL;

CREATE OR REPLACE FUNCTION notification_unread_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Rows sorted by key, so two transactions touching the same counters lock them in the
  -- same order (no deadlock between them).
  IF TG_OP = 'INSERT' THEN
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread, unseen)
    SELECT user_id, workspace_id, count(*) FILTER (WHERE read_at IS NULL), count(*) FILTER (WHERE seen_at IS NULL)
      FROM new_rows
     WHERE archived_at IS NULL AND snoozed_until IS NULL AND (read_at IS NULL OR seen_at IS NULL)
     GROUP BY user_id, workspace_id ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread, unseen)
    SELECT user_id, workspace_id, -count(*) FILTER (WHERE read_at IS NULL), -count(*) FILTER (WHERE seen_at IS NULL)
      FROM old_rows
     WHERE archived_at IS NULL AND snoozed_until IS NULL AND (read_at IS NULL OR seen_at IS NULL)
     GROUP BY user_id, workspace_id ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
  ELSE
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread, unseen)
    SELECT user_id, workspace_id, sum(unread), sum(unseen) FROM (
      SELECT user_id, workspace_id, (read_at IS NULL)::int AS unread, (seen_at IS NULL)::int AS unseen
        FROM new_rows WHERE archived_at IS NULL AND snoozed_until IS NULL
      UNION ALL
      SELECT user_id, workspace_id, -(read_at IS NULL)::int, -(seen_at IS NULL)::int
        FROM old_rows WHERE archived_at IS NULL AND snoozed_until IS NULL
    ) changes
     GROUP BY user_id, workspace_id HAVING sum(unread) <> 0 OR sum(unseen) <> 0 ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
  END IF;
  RETURN NULL;
END $$;

-- Recount under a lock that lets reads through but no receipt change, so no change is counted
-- twice or missed while the counters are rebuilt.
LOCK TABLE "notification_receipts" IN SHARE MODE;
DELETE FROM "notification_unread_counts";
INSERT INTO "notification_unread_counts" (user_id, workspace_id, unread, unseen)
SELECT user_id, workspace_id, count(*) FILTER (WHERE read_at IS NULL), count(*) FILTER (WHERE seen_at IS NULL)
  FROM "notification_receipts"
 WHERE archived_at IS NULL AND snoozed_until IS NULL AND (read_at IS NULL OR seen_at IS NULL)
 GROUP BY user_id, workspace_id;
