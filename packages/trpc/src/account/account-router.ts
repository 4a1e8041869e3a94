import { router } from "../procedure.ts";
import { changePasswordProcedure } from "./change-password.ts";
import { getMeProcedure } from "./get-me.ts";
import { leaveOrganizationProcedure } from "./leave-organization.ts";
import { listMyOrganizationsProcedure, switchOrganizationProcedure } from "./organizations.ts";
import { requestErasureProcedure } from "./request-erasure.ts";
import { sendVerificationEmailProcedure } from "./send-verification-email.ts";
import { signOutEverywhereProcedure } from "./sign-out-everywhere.ts";

export const accountRouter = router({
  me: getMeProcedure,
  changePassword: changePasswordProcedure,
  signOutEverywhere: signOutEverywhereProcedure,
  sendVerificationEmail: sendVerificationEmailProcedure,
  organizations: listMyOrganizationsProcedure,
  switchOrganization: switchOrganizationProcedure,
  leaveOrganization: leaveOrganizationProcedure,
  requestErasure: requestErasureProcedure,
});
