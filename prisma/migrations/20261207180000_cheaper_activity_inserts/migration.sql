-- Cheaper activity inserts: the chain's head and the search vector.
--
-- The hash chain's head is read once per statement instead of updated once per entry: the
-- row trigger locks the head at a chain's first entry in a statement and carries the chain's
-- position in a transaction-local setting from entry to entry; a statement-level trigger
-- writes the head back once when the statement ends. Same chain, same hashes; 100 entries in
-- one statement no longer make 100 versions of the head row. Inserts must go through the
-- partitioned table `activities` (its statement trigger writes the head), never straight into
-- a partition. Function bodies use \073 for semicolons: the migration runner splits scripts at
-- every semicolon.

-- Where a chain's position is carried within a statement: "seq,prev_hash,hash", or empty.
CREATE FUNCTION activity_chain_setting(chain text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS E'
  SELECT ''tray_notify.chain_'' || replace(chain, ''-'', ''_'')
';

CREATE OR REPLACE FUNCTION activities_chain() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  key text := coalesce(NEW.workspace_id::text, ''service'')\073
  setting text := activity_chain_setting(coalesce(NEW.workspace_id::text, ''service''))\073
  carried text\073
  seq bigint\073
  prev text\073
BEGIN
  IF NEW.chain_seq IS NOT NULL OR current_setting(''tray_notify.activity_moving'', true) = ''on'' THEN
    RETURN NEW\073
  END IF\073
  carried := current_setting(setting, true)\073
  IF carried IS NULL OR carried = '''' THEN
    -- The chain''s first entry in this statement: lock its head (held until commit, which
    -- orders concurrent writers of one chain) and note the chain for the statement trigger.
    SELECT h.seq, h.hash INTO seq, prev FROM activity_chain_heads h WHERE h.chain = key FOR UPDATE\073
    IF NOT FOUND THEN
      INSERT INTO activity_chain_heads (chain, seq, prev_hash, hash)
      VALUES (key, 0, repeat(''0'', 64), repeat(''0'', 64)) ON CONFLICT (chain) DO NOTHING\073
      SELECT h.seq, h.hash INTO seq, prev FROM activity_chain_heads h WHERE h.chain = key FOR UPDATE\073
    END IF\073
    PERFORM set_config(''tray_notify.chains_written'', coalesce(current_setting(''tray_notify.chains_written'', true), '''') || key || '','', true)\073
  ELSE
    seq := split_part(carried, '','', 1)::bigint\073
    prev := split_part(carried, '','', 3)\073
  END IF\073
  NEW.chain_seq := seq + 1\073
  NEW.prev_hash := prev\073
  NEW.hash := encode(sha256(decode(prev, ''hex'') || convert_to(activity_canonical(key, seq + 1, NEW.id, NEW.recorded_at,
    NEW.created_at, NEW.workspace_id, NEW.actor_user_id, NEW.type, NEW.entity_type, NEW.entity_id, NEW.summary,
    NEW.severity::text, NEW.meta), ''UTF8'')), ''hex'')\073
  PERFORM set_config(setting, NEW.chain_seq || '','' || NEW.prev_hash || '','' || NEW.hash, true)\073
  RETURN NEW\073
END
';

-- Writes each chain's position back to its head row when the statement ends, and forgets it:
-- the next statement reads the head again.
CREATE FUNCTION activities_chain_heads() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  written text := coalesce(current_setting(''tray_notify.chains_written'', true), '''')\073
  key text\073
  carried text[]\073
BEGIN
  IF written = '''' THEN
    RETURN NULL\073
  END IF\073
  FOREACH key IN ARRAY string_to_array(rtrim(written, '',''), '','') LOOP
    carried := string_to_array(current_setting(activity_chain_setting(key), true), '','')\073
    IF cardinality(carried) = 3 THEN
      UPDATE activity_chain_heads SET seq = carried[1]::bigint, prev_hash = carried[2], hash = carried[3] WHERE chain = key\073
      PERFORM set_config(activity_chain_setting(key), '''', true)\073
    END IF\073
  END LOOP\073
  PERFORM set_config(''tray_notify.chains_written'', '''', true)\073
  RETURN NULL\073
END
';

CREATE TRIGGER activities_chain_heads AFTER INSERT ON activities FOR EACH STATEMENT EXECUTE FUNCTION activities_chain_heads();

-- The search vector's actor name is looked up only for entries that have an actor: the
-- subquery in the function's argument ran as a full query for every entry, integrations'
-- entries (no actor) included, and cost more than the rest of the insert's triggers together.
CREATE OR REPLACE FUNCTION activities_set_search_vector() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  actor_name text\073
BEGIN
  IF NEW.actor_user_id IS NOT NULL THEN
    SELECT u.name INTO actor_name FROM users u WHERE u.id = NEW.actor_user_id\073
  END IF\073
  NEW.search_vector := activity_search_vector(NEW.summary, NEW.entity_id, NEW.meta, actor_name)\073
  RETURN NEW\073
END
';
