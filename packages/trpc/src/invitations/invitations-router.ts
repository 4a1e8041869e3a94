import { router } from "../procedure.ts";
import { acceptInvitationProcedure } from "./accept-invitation.ts";
import { previewInvitationProcedure } from "./preview-invitation.ts";

export const invitationsRouter = router({
  preview: previewInvitationProcedure,
  accept: acceptInvitationProcedure,
});
