import { revokeCredentialInputSchema, rotateCredentialInputSchema } from "../credentials/credential-input.ts";

export const RotateOAuthClientSecretInputSchema = rotateCredentialInputSchema("clientId");
export const RevokeOAuthClientInputSchema = revokeCredentialInputSchema("clientId");
