-- CreateIndex
CREATE INDEX "organization_created_at_id_idx" ON "organization"("created_at", "id");

-- CreateIndex
CREATE INDEX "chat_log_organization_id_api_key_id_created_at_idx" ON "chat_log"("organization_id", "api_key_id", "created_at");

-- CreateIndex
CREATE INDEX "chat_log_organization_id_model_id_created_at_idx" ON "chat_log"("organization_id", "model_id", "created_at");

-- CreateIndex
CREATE INDEX "file_organization_id_bytes_idx" ON "file"("organization_id", "bytes");

-- CreateIndex
CREATE INDEX "file_organization_id_expires_at_idx" ON "file"("organization_id", "expires_at");

-- CreateIndex
CREATE INDEX "file_organization_id_filename_idx" ON "file"("organization_id", "filename");

