-- AlterTable
ALTER TABLE "organization" ADD COLUMN     "pii_mask_kinds" TEXT[] DEFAULT ARRAY['email', 'phone', 'card', 'iban', 'ip', 'secret']::TEXT[];

