import { revokeCredentialInputSchema, rotateCredentialInputSchema } from "../credentials/credential-input.ts";

export const RotateApiKeyInputSchema = rotateCredentialInputSchema("apiKeyId");
export const RevokeApiKeyInputSchema = revokeCredentialInputSchema("apiKeyId");
