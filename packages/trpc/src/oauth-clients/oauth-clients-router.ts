import { router } from "../procedure.ts";
import { createOAuthClientProcedure } from "./create-oauth-client.ts";
import { listOAuthClientsProcedure } from "./list-oauth-clients.ts";
import { revokeOAuthClientProcedure } from "./revoke-oauth-client.ts";
import { rotateOAuthClientSecretProcedure } from "./rotate-oauth-client-secret.ts";

export const oauthClientsRouter = router({
  list: listOAuthClientsProcedure,
  create: createOAuthClientProcedure,
  rotateSecret: rotateOAuthClientSecretProcedure,
  revoke: revokeOAuthClientProcedure,
});
