-- AlterTable
ALTER TABLE "users" ADD COLUMN     "alert_every_device" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "device_presence" (
    "user_id" UUID NOT NULL,
    "device_id" TEXT NOT NULL,
    "client" TEXT NOT NULL,
    "active_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "device_presence_pkey" PRIMARY KEY ("user_id","device_id")
);

-- CreateIndex
CREATE INDEX "device_presence_active_until_idx" ON "device_presence"("active_until");

-- AddForeignKey
ALTER TABLE "device_presence" ADD CONSTRAINT "device_presence_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
