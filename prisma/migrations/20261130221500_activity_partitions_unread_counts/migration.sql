-- Activity log at scale: monthly partitions (retention drops a month whole, no bulk DELETE),
-- time-ordered ids (inserts append to the right edge of every index), and only the indexes
-- a listing uses. Plus a maintained unread counter per (user, workspace).
-- Written by hand: the Prisma schema language cannot express partitioning or triggers, and
-- later `migrate diff` runs compare schema files, so they leave all of this alone.

-- UUIDv7: built in from PostgreSQL 18; the same layout in SQL on older servers (a v4 with
-- its first 48 bits replaced by the Unix time in ms and the version nibble set to 7).
DO $do$
BEGIN
  IF current_setting('server_version_num')::int >= 180000 THEN
    EXECUTE $f$CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS 'SELECT uuidv7()'$f$;
  ELSE
    EXECUTE $f$CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $body$
      SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
               PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
               FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
    $body$
    $f$;
  END IF;
END $do$;

-- The old table keeps its rows until they are copied; its indexes go first (their names are
-- reused below, and the copy is faster without them).
ALTER TABLE "activities" RENAME TO "activities_unpartitioned";
ALTER TABLE "activities_unpartitioned" DROP CONSTRAINT "activities_pkey";
DROP INDEX "activities_workspace_id_created_at_id_idx";
DROP INDEX "activities_workspace_id_type_created_at_id_idx";
DROP INDEX "activities_workspace_id_severity_created_at_idx";
DROP INDEX "activities_workspace_id_entity_type_entity_id_created_at_idx";
DROP INDEX "activities_created_at_id_idx";
DROP INDEX "activities_type_created_at_idx";
DROP INDEX "activities_severity_created_at_idx";
DROP INDEX "activities_actor_user_id_created_at_idx";
ALTER TABLE "activities_unpartitioned" DROP CONSTRAINT "activities_workspace_id_fkey";
ALTER TABLE "activities_unpartitioned" DROP CONSTRAINT "activities_actor_user_id_fkey";

-- A partitioned table's primary key must contain the partition key. (created_at, id) is
-- also the order of the cross-workspace feed, so the key doubles as that listing's index.
-- Nothing references activities (checked: no foreign key points at it).
CREATE TABLE "activities" (
    "id" UUID NOT NULL DEFAULT uuid_v7(),
    "workspace_id" UUID NOT NULL,
    "actor_user_id" UUID,
    "type" TEXT NOT NULL,
    "entity_type" TEXT,
    "entity_id" TEXT,
    "summary" TEXT NOT NULL,
    "meta" JSONB NOT NULL DEFAULT '{}',
    "severity" "Severity" NOT NULL DEFAULT 'info',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "activities_pkey" PRIMARY KEY ("created_at", "id")
) PARTITION BY RANGE ("created_at");

-- Rows outside every monthly partition (an integration reporting a date far in the past or
-- future) land here; ensure_activity_partition moves them out when their month is created.
CREATE TABLE "activities_default" PARTITION OF "activities" DEFAULT;

-- Each index serves a listing (bench/README.md lists them with their per-insert cost).
-- Workspace feed, and the admin feed filtered by workspace.
CREATE INDEX "activities_workspace_id_created_at_id_idx" ON "activities"("workspace_id", "created_at" DESC, "id" DESC);
-- Workspace feed by type.
CREATE INDEX "activities_workspace_id_type_created_at_id_idx" ON "activities"("workspace_id", "type", "created_at" DESC, "id" DESC);
-- Workspace feed by severity.
CREATE INDEX "activities_workspace_id_severity_created_at_id_idx" ON "activities"("workspace_id", "severity", "created_at" DESC, "id" DESC);
-- Admin feed by type.
CREATE INDEX "activities_type_created_at_id_idx" ON "activities"("type", "created_at" DESC, "id" DESC);
-- Admin feed by severity, and the critical-events list.
CREATE INDEX "activities_severity_created_at_id_idx" ON "activities"("severity", "created_at" DESC, "id" DESC);
-- Admin feed by actor; also what SET NULL on user deletion looks up.
CREATE INDEX "activities_actor_user_id_created_at_id_idx" ON "activities"("actor_user_id", "created_at" DESC, "id" DESC);
-- Both feeds by entity. An entity belongs to one workspace, so a workspace prefix only made
-- the key wider; the workspace condition filters the few rows of one entity.
CREATE INDEX "activities_entity_type_entity_id_created_at_id_idx" ON "activities"("entity_type", "entity_id", "created_at" DESC, "id" DESC);

ALTER TABLE "activities" ADD CONSTRAINT "activities_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "activities" ADD CONSTRAINT "activities_actor_user_id_fkey" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Creates the partition of the calendar month (UTC) holding `at`, if missing, moving any rows
-- of that month out of the default partition first (PostgreSQL refuses to create a partition
-- whose rows sit in the default one). Returns the partition's name.
CREATE FUNCTION ensure_activity_partition(month_of timestamptz) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('month', month_of, 'UTC');
  hi timestamptz := date_trunc('month', month_of, 'UTC') + interval '1 month';
  part text := 'activities_' || to_char(date_trunc('month', month_of, 'UTC') AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  IF to_regclass(format('%I', part)) IS NOT NULL THEN
    RETURN part;
  END IF;
  -- Serialises concurrent creators (every instance runs the housekeeping).
  PERFORM pg_advisory_xact_lock(hashtext('ensure_activity_partition'));
  IF to_regclass(format('%I', part)) IS NOT NULL THEN
    RETURN part;
  END IF;
  CREATE TEMP TABLE activities_moving (LIKE activities) ON COMMIT DROP;
  WITH moved AS (DELETE FROM activities_default WHERE created_at >= lo AND created_at < hi RETURNING *)
  INSERT INTO activities_moving SELECT * FROM moved;
  EXECUTE format('CREATE TABLE %I PARTITION OF activities FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  INSERT INTO activities SELECT * FROM activities_moving;
  DROP TABLE activities_moving;
  RETURN part;
END $$;

-- Partitions for the months the existing rows cover (at most the last two years: older rows
-- stay in the default partition), this month and the next two.
SELECT ensure_activity_partition(month)
  FROM generate_series(
         date_trunc('month', GREATEST(
           COALESCE((SELECT min(created_at) FROM activities_unpartitioned), now()),
           now() - interval '24 months'), 'UTC'),
         now() + interval '2 months', interval '1 month') AS month;

INSERT INTO "activities" ("id", "workspace_id", "actor_user_id", "type", "entity_type", "entity_id", "summary", "meta", "severity", "created_at")
SELECT "id", "workspace_id", "actor_user_id", "type", "entity_type", "entity_id", "summary", "meta", "severity", "created_at"
  FROM "activities_unpartitioned";
DROP TABLE "activities_unpartitioned";

-- Unread receipts per (user, workspace), kept exact by statement-level triggers on
-- notification_receipts: every path that changes a receipt (create, read, unread, archive,
-- mark-all-read, cascades from member or user removal, retention) updates it in the same
-- statement, so the badge is one key lookup however many rows are unread. The upsert adds a
-- delta under the counter row's lock, so concurrent changes add up exactly.
-- No foreign keys: a cascade that deletes receipts runs this trigger while the parent rows
-- are going away. A counter at 0 is harmless (the count reads unread > 0).
CREATE TABLE "notification_unread_counts" (
    "user_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "unread" INTEGER NOT NULL,

    CONSTRAINT "notification_unread_counts_pkey" PRIMARY KEY ("user_id", "workspace_id")
);

CREATE FUNCTION notification_unread_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Rows sorted by key, so two transactions touching the same counters lock them in the
  -- same order (no deadlock between them).
  IF TG_OP = 'INSERT' THEN
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread)
    SELECT user_id, workspace_id, count(*) FROM new_rows
     WHERE read_at IS NULL AND archived_at IS NULL
     GROUP BY user_id, workspace_id ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread)
    SELECT user_id, workspace_id, -count(*) FROM old_rows
     WHERE read_at IS NULL AND archived_at IS NULL
     GROUP BY user_id, workspace_id ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread;
  ELSE
    INSERT INTO notification_unread_counts AS c (user_id, workspace_id, unread)
    SELECT user_id, workspace_id, sum(delta) FROM (
      SELECT user_id, workspace_id, 1 AS delta FROM new_rows WHERE read_at IS NULL AND archived_at IS NULL
      UNION ALL
      SELECT user_id, workspace_id, -1 FROM old_rows WHERE read_at IS NULL AND archived_at IS NULL
    ) changes
     GROUP BY user_id, workspace_id HAVING sum(delta) <> 0 ORDER BY user_id, workspace_id
    ON CONFLICT (user_id, workspace_id) DO UPDATE SET unread = c.unread + excluded.unread;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER notification_unread_counts_insert AFTER INSERT ON notification_receipts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_unread_counts_apply();
CREATE TRIGGER notification_unread_counts_update AFTER UPDATE ON notification_receipts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_unread_counts_apply();
CREATE TRIGGER notification_unread_counts_delete AFTER DELETE ON notification_receipts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_unread_counts_apply();

INSERT INTO notification_unread_counts (user_id, workspace_id, unread)
SELECT user_id, workspace_id, count(*) FROM notification_receipts
 WHERE read_at IS NULL AND archived_at IS NULL GROUP BY user_id, workspace_id;

-- The unread inbox in its own order: the page reads the first rows of this partial index,
-- however many read rows sit between the unread ones. (The count no longer needs the old
-- partial index, and mark-all-read walks this one.)
DROP INDEX "notification_receipts_unread_idx";
CREATE INDEX "notification_receipts_unread_feed_idx" ON "notification_receipts" ("user_id", "created_at" DESC, "notification_id" DESC)
  WHERE "read_at" IS NULL AND "archived_at" IS NULL;

-- Retention of read notifications walks this one from its oldest end in batches. Partial:
-- new receipts are unread, so creating one does not touch it.
CREATE INDEX "notification_receipts_read_created_at_idx" ON "notification_receipts" ("created_at")
  WHERE "read_at" IS NOT NULL;
