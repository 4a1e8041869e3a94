import { OAUTH_CLIENTS } from "@dsc/core";
import { credentialProcedures } from "../credentials/credential-procedures.ts";
import { router } from "../procedure.ts";

const { list, create, rotate, revoke } = credentialProcedures(OAUTH_CLIENTS);

/** Client-credentials applications; `rotateSecret` keeps the name the dashboard has always called. */
export const oauthClientsRouter = router({ list, create, rotateSecret: rotate, revoke });
