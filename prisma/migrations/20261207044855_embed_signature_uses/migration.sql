-- CreateTable
CREATE TABLE "embed_signature_uses" (
    "signature_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "embed_signature_uses_pkey" PRIMARY KEY ("signature_hash")
);

-- CreateIndex
CREATE INDEX "embed_signature_uses_expires_at_idx" ON "embed_signature_uses"("expires_at");
