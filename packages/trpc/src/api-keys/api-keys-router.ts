import { API_KEYS } from "@dsc/core";
import { credentialProcedures } from "../credentials/credential-procedures.ts";
import { router } from "../procedure.ts";

const procedures = credentialProcedures(API_KEYS);

export const apiKeysRouter = router({
  list: procedures.list,
  create: procedures.create,
  rotate: procedures.rotate,
  revoke: procedures.revoke,
});
