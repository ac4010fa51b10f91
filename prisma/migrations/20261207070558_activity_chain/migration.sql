-- Tamper evidence for the activity log: a hash chain per workspace (and one for the
-- service-wide entries), signed checkpoints, the signing key, and legal holds. Entries from
-- before this migration stay outside the chains (chain_seq null): each chain starts at its
-- first entry recorded after it. (Prisma's diff would also drop the search index, which the
-- schema cannot express: left out on purpose.)

-- AlterTable
ALTER TABLE "activities" ADD COLUMN     "chain_seq" BIGINT,
ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prev_hash" TEXT;

-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "legal_hold_at" TIMESTAMPTZ(3),
ADD COLUMN     "legal_hold_by_id" UUID,
ADD COLUMN     "legal_hold_reason" TEXT;

-- CreateTable
CREATE TABLE "activity_chain_heads" (
    "chain" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "activity_chain_heads_pkey" PRIMARY KEY ("chain")
);

-- CreateTable
CREATE TABLE "activity_checkpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "chain" TEXT NOT NULL,
    "chain_seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "activity_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_signing_keys" (
    "id" TEXT NOT NULL,
    "public_key_pem" TEXT NOT NULL,
    "private_key_pem" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_signing_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "activity_checkpoints_signed_at_idx" ON "activity_checkpoints"("signed_at");

-- CreateIndex
CREATE UNIQUE INDEX "activity_checkpoints_chain_chain_seq_key" ON "activity_checkpoints"("chain", "chain_seq");

-- CreateIndex
CREATE INDEX "activities_workspace_id_chain_seq_idx" ON "activities"("workspace_id", "chain_seq");


-- The hash chain of the activity log (README, "Audit"). Written by hand: the schema language
-- cannot express triggers. Each function body is an escaped string with \073 for each
-- semicolon: the migration runner splits scripts at every semicolon.

-- The canonical form of an entry, hashed after the previous entry's hash. A JSON array of
-- fixed order; strings escaped as JSON (to_json), times in UTC to the millisecond, meta as
-- PostgreSQL's jsonb text. scripts/audit-verify.mjs builds the same text from an export.
CREATE FUNCTION activity_canonical(chain text, seq bigint, id uuid, recorded_at timestamptz, created_at timestamptz,
  workspace_id uuid, actor_user_id uuid, type text, entity_type text, entity_id text, summary text, severity text, meta jsonb)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS E'
  SELECT ''["tray-notify/activity/1",'' || to_json(chain)::text || '','' || seq::text || '','' || to_json(id::text)::text || '',''
    || to_json(to_char(recorded_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"''))::text || '',''
    || to_json(to_char(created_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"''))::text || '',''
    || coalesce(to_json(workspace_id::text)::text, ''null'') || '','' || coalesce(to_json(actor_user_id::text)::text, ''null'') || '',''
    || to_json(type)::text || '','' || coalesce(to_json(entity_type)::text, ''null'') || '','' || coalesce(to_json(entity_id)::text, ''null'') || '',''
    || to_json(summary)::text || '','' || to_json(severity)::text || '','' || meta::text || '']''
';

-- Chains each inserted row: takes the next position of its chain from the head row (whose
-- row lock orders concurrent writers of one chain until they commit) and sets chain_seq,
-- prev_hash and hash in the same statement. Rows that arrive with a position (moved between
-- partitions) keep theirs.
CREATE FUNCTION activities_chain() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  key text := coalesce(NEW.workspace_id::text, ''service'')\073
  head record\073
BEGIN
  IF NEW.chain_seq IS NOT NULL OR current_setting(''tray_notify.activity_moving'', true) = ''on'' THEN
    RETURN NEW\073
  END IF\073
  UPDATE activity_chain_heads h
     SET seq = h.seq + 1, prev_hash = h.hash,
         hash = encode(sha256(decode(h.hash, ''hex'') || convert_to(activity_canonical(key, h.seq + 1, NEW.id, NEW.recorded_at,
           NEW.created_at, NEW.workspace_id, NEW.actor_user_id, NEW.type, NEW.entity_type, NEW.entity_id, NEW.summary,
           NEW.severity::text, NEW.meta), ''UTF8'')), ''hex'')
   WHERE h.chain = key
  RETURNING h.seq, h.prev_hash, h.hash INTO head\073
  IF NOT FOUND THEN
    INSERT INTO activity_chain_heads (chain, seq, prev_hash, hash)
    VALUES (key, 0, repeat(''0'', 64), repeat(''0'', 64)) ON CONFLICT (chain) DO NOTHING\073
    UPDATE activity_chain_heads h
       SET seq = h.seq + 1, prev_hash = h.hash,
           hash = encode(sha256(decode(h.hash, ''hex'') || convert_to(activity_canonical(key, h.seq + 1, NEW.id, NEW.recorded_at,
             NEW.created_at, NEW.workspace_id, NEW.actor_user_id, NEW.type, NEW.entity_type, NEW.entity_id, NEW.summary,
             NEW.severity::text, NEW.meta), ''UTF8'')), ''hex'')
     WHERE h.chain = key
    RETURNING h.seq, h.prev_hash, h.hash INTO head\073
  END IF\073
  NEW.chain_seq := head.seq\073
  NEW.prev_hash := head.prev_hash\073
  NEW.hash := head.hash\073
  RETURN NEW\073
END
';

CREATE TRIGGER activities_chain BEFORE INSERT ON activities FOR EACH ROW EXECUTE FUNCTION activities_chain();

-- As before, plus: rows moved out of the default partition keep their chain position (the
-- trigger leaves rows alone while tray_notify.activity_moving is on, including unchained ones).
CREATE OR REPLACE FUNCTION ensure_activity_partition(month_of timestamptz) RETURNS text LANGUAGE plpgsql AS E'
DECLARE
  lo timestamptz := date_trunc(''month'', month_of, ''UTC'')\073
  hi timestamptz := date_trunc(''month'', month_of, ''UTC'') + interval ''1 month''\073
  part text := ''activities_'' || to_char(date_trunc(''month'', month_of, ''UTC'') AT TIME ZONE ''UTC'', ''YYYY_MM'')\073
BEGIN
  IF to_regclass(format(''%I'', part)) IS NOT NULL THEN
    RETURN part\073
  END IF\073
  PERFORM pg_advisory_xact_lock(hashtext(''ensure_activity_partition''))\073
  IF to_regclass(format(''%I'', part)) IS NOT NULL THEN
    RETURN part\073
  END IF\073
  CREATE TEMP TABLE activities_moving (LIKE activities) ON COMMIT DROP\073
  WITH moved AS (DELETE FROM activities_default WHERE created_at >= lo AND created_at < hi RETURNING *)
  INSERT INTO activities_moving SELECT * FROM moved\073
  EXECUTE format(''CREATE TABLE %I PARTITION OF activities FOR VALUES FROM (%L) TO (%L)'', part, lo, hi)\073
  PERFORM set_config(''tray_notify.activity_moving'', ''on'', true)\073
  INSERT INTO activities SELECT * FROM activities_moving\073
  PERFORM set_config(''tray_notify.activity_moving'', ''off'', true)\073
  DROP TABLE activities_moving\073
  RETURN part\073
END
';
