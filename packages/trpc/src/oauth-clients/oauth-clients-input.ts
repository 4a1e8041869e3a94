import { z } from "zod";
import { CreateCredentialInputSchema, ListCredentialsInputSchema } from "../api-keys/api-keys-input.ts";
import { GRACE_CHOICE_NAMES } from "../vocabulary.ts";

export const ListOAuthClientsInputSchema = ListCredentialsInputSchema;
export const CreateOAuthClientInputSchema = CreateCredentialInputSchema;

export const RotateOAuthClientSecretInputSchema = z.object({
  clientId: z.string().min(1),
  gracePeriod: z.enum(GRACE_CHOICE_NAMES).default("24h"),
});

export const RevokeOAuthClientInputSchema = z.object({ clientId: z.string().min(1) });
