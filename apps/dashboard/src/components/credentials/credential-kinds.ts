import type { CredentialKindSpec } from "./credential-kind.ts";

/** The two kinds of credential, by the name of their tRPC router. */
export const CREDENTIAL_KINDS = {
  apiKeys: {
    noun: "API key",
    nounPlural: "API keys",
    secretName: "secret key",
    description:
      "Secret keys that call the API as an organization. Revoking one stops it on every gateway within a second.",
    emptyDescription: "Create a key, then call the API with it in the Authorization header.",
    usage: (secret, _id, gatewayUrl) =>
      `curl ${gatewayUrl}/v1/models \\\n  -H "Authorization: Bearer ${secret}"`,
    routes: {
      router: "apiKeys",
      rotate: "rotate",
      idField: "apiKeyId",
      resultField: "key",
      prefixField: "prefix",
    },
  },
  oauthClients: {
    noun: "OAuth client",
    nounPlural: "OAuth clients",
    secretName: "client secret",
    description:
      "Applications that exchange a client id and secret for short-lived access tokens (OAuth 2.0 client credentials). Revoking one also ends its tokens.",
    emptyDescription: "Create a client, then request tokens from the gateway's token endpoint.",
    usage: (secret, id, gatewayUrl) =>
      `curl ${gatewayUrl}/oauth2/token \\\n  -d grant_type=client_credentials \\\n  -d client_id=${id} \\\n  -d client_secret=${secret}`,
    routes: {
      router: "oauthClients",
      rotate: "rotateSecret",
      idField: "clientId",
      resultField: "client",
      prefixField: "secretPrefix",
    },
  },
} satisfies Record<string, CredentialKindSpec>;

export type CredentialKindName = keyof typeof CREDENTIAL_KINDS;
