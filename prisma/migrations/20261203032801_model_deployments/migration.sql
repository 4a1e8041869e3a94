-- CreateEnum
CREATE TYPE "routing_strategy" AS ENUM ('WEIGHTED', 'LEAST_IN_FLIGHT');

-- AlterTable
ALTER TABLE "model" ADD COLUMN     "alias_of_id" TEXT,
ADD COLUMN     "fallback_model_id" TEXT,
ADD COLUMN     "replacement_model_id" TEXT,
ADD COLUMN     "routing_strategy" "routing_strategy" NOT NULL DEFAULT 'WEIGHTED';

-- CreateTable
CREATE TABLE "model_deployment" (
    "id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "upstream_base_url" TEXT,
    "upstream_model" TEXT,
    "api_key_ref" TEXT,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "requests_per_minute" INTEGER,
    "tokens_per_minute" INTEGER,
    "connect_timeout_ms" INTEGER,
    "first_byte_timeout_ms" INTEGER,
    "total_timeout_ms" INTEGER,
    "is_enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_deployment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "model_deployment_model_id_idx" ON "model_deployment"("model_id");

-- AddForeignKey
ALTER TABLE "model" ADD CONSTRAINT "model_alias_of_id_fkey" FOREIGN KEY ("alias_of_id") REFERENCES "model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model" ADD CONSTRAINT "model_fallback_model_id_fkey" FOREIGN KEY ("fallback_model_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model" ADD CONSTRAINT "model_replacement_model_id_fkey" FOREIGN KEY ("replacement_model_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_deployment" ADD CONSTRAINT "model_deployment_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- What the database refuses whoever writes (dashboard, CLI or plain SQL): the request path
-- trusts these and does not re-check them per request.
ALTER TABLE "model_deployment"
  ADD CONSTRAINT "model_deployment_weight_check" CHECK ("weight" >= 0),
  ADD CONSTRAINT "model_deployment_limits_check"
    CHECK (("requests_per_minute" IS NULL OR "requests_per_minute" > 0)
       AND ("tokens_per_minute" IS NULL OR "tokens_per_minute" > 0)),
  ADD CONSTRAINT "model_deployment_timeouts_check"
    CHECK (("connect_timeout_ms" IS NULL OR "connect_timeout_ms" > 0)
       AND ("first_byte_timeout_ms" IS NULL OR "first_byte_timeout_ms" > 0)
       AND ("total_timeout_ms" IS NULL OR "total_timeout_ms" > 0));

ALTER TABLE "model"
  ADD CONSTRAINT "model_not_own_alias_check" CHECK ("alias_of_id" IS NULL OR "alias_of_id" <> "id"),
  ADD CONSTRAINT "model_not_own_fallback_check" CHECK ("fallback_model_id" IS NULL OR "fallback_model_id" <> "id"),
  ADD CONSTRAINT "model_not_own_replacement_check"
    CHECK ("replacement_model_id" IS NULL OR "replacement_model_id" <> "id");

-- Every existing model keeps its upstream as its one deployment. The old columns stay for one
-- release: the gateway reads them only for a model that has no deployment row (one written by
-- an older dashboard or by hand).
INSERT INTO "model_deployment" ("id", "model_id", "upstream_base_url", "upstream_model")
SELECT 'dep_' || substr(md5(random()::text || "id"), 1, 24), "id", NULLIF("upstream_base_url", ''), "upstream_model"
FROM "model";

-- Gateways rebuild their routing when deployments change, as for the model rows
-- (migration organization_change_notifications).
CREATE TRIGGER model_deployment_changed
  AFTER INSERT OR UPDATE OR DELETE ON "model_deployment"
  FOR EACH STATEMENT EXECUTE FUNCTION dsc_notify_models_changed();
