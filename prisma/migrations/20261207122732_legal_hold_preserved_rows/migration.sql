-- What a legal hold keeps of a workspace's notifications and inbox entries when something
-- deletes them anyway (a member removed: their inbox entries go, so they can no longer read
-- them). Retention skips held workspaces in its own statements; this trigger catches every
-- other deleter. (Prisma's diff would also drop the search index, which the schema cannot
-- express: left out on purpose.)

-- CreateTable
CREATE TABLE "legal_hold_preserved_rows" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "table_name" TEXT NOT NULL,
    "row" JSONB NOT NULL,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "legal_hold_preserved_rows_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "legal_hold_preserved_rows_workspace_id_deleted_at_idx" ON "legal_hold_preserved_rows"("workspace_id", "deleted_at");


-- One statement-level trigger per table: the rows deleted are read once from the transition
-- table, and a workspace row lookup decides whether they are kept. Function bodies use \073
-- for semicolons: the migration runner splits scripts at every semicolon.
CREATE FUNCTION legal_hold_preserve_deleted() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO legal_hold_preserved_rows (workspace_id, table_name, row)
  SELECT g.workspace_id, TG_TABLE_NAME, to_jsonb(g)
    FROM gone g JOIN workspaces w ON w.id = g.workspace_id
   WHERE w.legal_hold_at IS NOT NULL\073
  RETURN NULL\073
END
';

CREATE TRIGGER notification_receipts_legal_hold AFTER DELETE ON notification_receipts
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION legal_hold_preserve_deleted();
CREATE TRIGGER notifications_legal_hold AFTER DELETE ON notifications
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION legal_hold_preserve_deleted();
