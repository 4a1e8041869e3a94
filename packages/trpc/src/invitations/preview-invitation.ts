import { previewInvitation } from "@dsc/core";
import { allowAnyone } from "../procedure.ts";
import { PreviewInvitationInputSchema } from "./invitations-input.ts";

/** What an invitation's page shows; signed out too, the link being the secret. */
export const previewInvitationProcedure = allowAnyone()
  .input(PreviewInvitationInputSchema)
  .query(({ ctx, input }) => previewInvitation(ctx, { token: input.token }));
