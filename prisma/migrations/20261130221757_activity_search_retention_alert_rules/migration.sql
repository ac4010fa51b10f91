-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "activity_retention_days" INTEGER;

-- AlterTable
ALTER TABLE "activities" ADD COLUMN     "search_vector" tsvector;

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID,
    "name" TEXT NOT NULL,
    "types" TEXT[],
    "min_severity" "Severity",
    "threshold" INTEGER NOT NULL,
    "window_minutes" INTEGER NOT NULL,
    "notify" JSONB NOT NULL,
    "channels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_by_id" UUID,
    "last_fired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_rules_workspace_id_created_at_idx" ON "alert_rules"("workspace_id", "created_at");

-- CreateIndex
CREATE INDEX "alert_rules_created_by_id_idx" ON "alert_rules"("created_by_id");

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Full-text search over activity (`q`): the summary, the entity id, the actor's name and the
-- values in meta. The 'simple' configuration keeps words as written (no stemming, any
-- language, ids intact), and queries match word prefixes. A trigger rather than a generated
-- column, because the actor's name lives in users. The name is the one at the time of the
-- entry, like the summary.
CREATE FUNCTION activity_search_vector(summary text, entity_id text, meta jsonb, actor_name text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('simple', coalesce(summary, '') || ' ' || coalesce(entity_id, '') || ' ' || coalesce(actor_name, ''))
      || jsonb_to_tsvector('simple', coalesce(meta, '{}'::jsonb), '["string", "numeric"]')
$$;

-- The body is an escaped string with \073 for each semicolon: the migration runner here
-- (Prisma's Wasm schema engine through the pg adapter) splits scripts at every semicolon,
-- even inside a dollar-quoted body.
CREATE FUNCTION activities_set_search_vector() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  NEW.search_vector := activity_search_vector(NEW.summary, NEW.entity_id, NEW.meta,
    (SELECT u.name FROM users u WHERE u.id = NEW.actor_user_id))\073
  RETURN NEW\073
END
';

CREATE TRIGGER activities_search_vector
  BEFORE INSERT OR UPDATE OF summary, entity_id, meta, actor_user_id ON activities
  FOR EACH ROW EXECUTE FUNCTION activities_set_search_vector();

UPDATE activities a
   SET search_vector = activity_search_vector(a.summary, a.entity_id, a.meta,
     (SELECT u.name FROM users u WHERE u.id = a.actor_user_id));

CREATE INDEX activities_search_vector_idx ON activities USING gin (search_vector);

-- Rules are small and few: these keep bad rows out whatever writes them.
ALTER TABLE alert_rules
  ADD CONSTRAINT alert_rules_threshold_check CHECK (threshold BETWEEN 1 AND 10000),
  ADD CONSTRAINT alert_rules_window_check CHECK (window_minutes BETWEEN 1 AND 10080),
  ADD CONSTRAINT alert_rules_types_check CHECK (cardinality(types) >= 1);

ALTER TABLE workspaces
  ADD CONSTRAINT workspaces_activity_retention_days_check CHECK (activity_retention_days >= 1);
