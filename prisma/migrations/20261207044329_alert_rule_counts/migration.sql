-- Alert rule evaluation counts each rule's entries as one range per (workspace, type, severity)
-- of this index, so a rule with a minimum severity never reads the entries below it.
-- (`prisma migrate diff` also proposes dropping activities_search_vector_idx, which the schema
-- cannot express: kept.)
CREATE INDEX "activities_workspace_id_type_severity_created_at_idx" ON "activities"("workspace_id", "type", "severity", "created_at");
