-- AlterTable
ALTER TABLE "model_deployment" ADD COLUMN     "health_check_interval_ms" INTEGER;

