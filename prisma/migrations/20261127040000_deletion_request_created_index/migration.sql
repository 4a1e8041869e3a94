-- The dashboard lists deletion requests newest first, paging on (created_at, id).
CREATE INDEX "deletion_request_created_at_id_idx" ON "deletion_request"("created_at", "id");
