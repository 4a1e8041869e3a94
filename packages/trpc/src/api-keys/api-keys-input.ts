import { z } from "zod";
import { CREDENTIAL_STATES, EXPIRY_CHOICE_NAMES, GRACE_CHOICE_NAMES, SCOPES } from "../vocabulary.ts";

/** The filters and page of a credential list (API keys and OAuth clients alike). */
export const ListCredentialsInputSchema = z.object({
  /** absent = every organization the caller may see */
  organizationId: z.string().min(1).optional(),
  state: z.enum(CREDENTIAL_STATES).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
});

/** A new credential (API key or OAuth client): its name, scopes and lifetime. */
export const CreateCredentialInputSchema = z.object({
  organizationId: z.string().trim().min(1, "choose an organization"),
  name: z.string().trim().min(1, "enter a name").max(100, "at most 100 characters"),
  scopes: z.array(z.enum(SCOPES)).min(1, "choose at least one scope"),
  expiresIn: z.enum(EXPIRY_CHOICE_NAMES),
});
export type CreateCredentialInput = z.input<typeof CreateCredentialInputSchema>;

export const ListApiKeysInputSchema = ListCredentialsInputSchema;
export const CreateApiKeyInputSchema = CreateCredentialInputSchema;

export const RotateApiKeyInputSchema = z.object({
  apiKeyId: z.string().min(1),
  gracePeriod: z.enum(GRACE_CHOICE_NAMES).default("24h"),
});

export const RevokeApiKeyInputSchema = z.object({ apiKeyId: z.string().min(1) });
