-- CreateTable
CREATE TABLE "audit_streams" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "min_severity" "Severity",
    "secret" TEXT NOT NULL,
    "token" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "paused_reason" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cursor_xid" BIGINT NOT NULL DEFAULT 0,
    "cursor_seq" BIGINT NOT NULL DEFAULT 0,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "failing_since" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_streams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_stream_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "stream_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,
    "entries" INTEGER NOT NULL,
    "first_entry_id" UUID,
    "last_entry_id" UUID,
    "lag_ms" INTEGER,

    CONSTRAINT "audit_stream_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_stream_log" (
    "seq" BIGSERIAL NOT NULL,
    "xid" BIGINT NOT NULL,
    "activity_id" UUID NOT NULL,
    "activity_created_at" TIMESTAMPTZ(3) NOT NULL,
    "workspace_id" UUID,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_stream_log_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "audit_streams_workspace_id_idx" ON "audit_streams"("workspace_id");

-- CreateIndex
CREATE INDEX "audit_streams_status_next_attempt_at_idx" ON "audit_streams"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "audit_stream_deliveries_stream_id_id_idx" ON "audit_stream_deliveries"("stream_id", "id" DESC);

-- CreateIndex
CREATE INDEX "audit_stream_log_xid_seq_idx" ON "audit_stream_log"("xid", "seq");

-- CreateIndex
CREATE INDEX "audit_stream_log_workspace_id_xid_seq_idx" ON "audit_stream_log"("workspace_id", "xid", "seq");

-- CreateIndex
CREATE INDEX "audit_stream_log_recorded_at_idx" ON "audit_stream_log"("recorded_at");

-- AddForeignKey
ALTER TABLE "audit_streams" ADD CONSTRAINT "audit_streams_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_stream_deliveries" ADD CONSTRAINT "audit_stream_deliveries_stream_id_fkey" FOREIGN KEY ("stream_id") REFERENCES "audit_streams"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every new activity entry gets a place in audit_stream_log, tagged with the id of the
-- transaction that inserted it, while any stream exists (no cost otherwise). Senders read the
-- log in (xid, seq) order only below the oldest transaction still running
-- (pg_snapshot_xmin(pg_current_snapshot())): a transaction that commits late cannot add a
-- row behind a sender's cursor, so no entry is skipped. A statement trigger with a transition
-- table: one INSERT per statement, however many entries it wrote.
CREATE FUNCTION audit_stream_log_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_streams) THEN
    INSERT INTO audit_stream_log (xid, activity_id, activity_created_at, workspace_id)
    SELECT pg_current_xact_id()::text::bigint, n.id, n.created_at, n.workspace_id
      FROM new_entries n
     ORDER BY n.recorded_at, n.id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER activities_audit_stream_log
  AFTER INSERT ON activities
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_stream_log_append();
