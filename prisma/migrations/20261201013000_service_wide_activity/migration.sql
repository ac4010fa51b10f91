-- Entries about the whole service (changes to alert rules across workspaces) belong to no
-- workspace: only super admins see them. Every workspace feed filters on workspace_id, so
-- they never appear there. (Prisma's diff would also drop the search index, which the schema
-- cannot express: left out on purpose.)
ALTER TABLE "activities" ALTER COLUMN "workspace_id" DROP NOT NULL;
