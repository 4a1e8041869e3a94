import { previewInvitation } from "@dsc/core";
import { allowAnyone } from "../procedure.ts";
import { PreviewInvitationInputSchema } from "./invitations-input.ts";

/**
 * What an invitation's page shows; signed out too, the link being the secret. A mutation
 * although it changes nothing: a query's input travels in the URL, where access logs keep it.
 */
export const previewInvitationProcedure = allowAnyone()
  .input(PreviewInvitationInputSchema)
  .mutation(({ ctx, input }) => previewInvitation(ctx, { token: input.token }));
