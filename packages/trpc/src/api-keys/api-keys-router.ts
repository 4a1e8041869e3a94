import { router } from "../procedure.ts";
import { createApiKeyProcedure } from "./create-api-key.ts";
import { listApiKeysProcedure } from "./list-api-keys.ts";
import { revokeApiKeyProcedure } from "./revoke-api-key.ts";
import { rotateApiKeyProcedure } from "./rotate-api-key.ts";

export const apiKeysRouter = router({
  list: listApiKeysProcedure,
  create: createApiKeyProcedure,
  rotate: rotateApiKeyProcedure,
  revoke: revokeApiKeyProcedure,
});
