-- CreateTable
CREATE TABLE "stream_leases" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_leases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stream_leases_user_id_expires_at_idx" ON "stream_leases"("user_id", "expires_at");

-- CreateIndex
CREATE INDEX "stream_leases_expires_at_idx" ON "stream_leases"("expires_at");

-- AddForeignKey
ALTER TABLE "stream_leases" ADD CONSTRAINT "stream_leases_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

