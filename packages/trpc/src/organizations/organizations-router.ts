import { router } from "../procedure.ts";
import { createOrganizationProcedure } from "./create-organization.ts";
import { getLegalHoldProcedure } from "./get-legal-hold.ts";
import { getOrganizationProcedure } from "./get-organization.ts";
import { listMembersProcedure } from "./list-members.ts";
import { listOrganizationsProcedure } from "./list-organizations.ts";
import { listPowerfulCredentialsProcedure } from "./list-powerful-credentials.ts";
import { setLegalHoldProcedure } from "./set-legal-hold.ts";
import { setOrganizationTierProcedure } from "./set-organization-tier.ts";
import { updateDataProtectionProcedure } from "./update-data-protection.ts";
import { updateOrganizationSettingsProcedure } from "./update-organization-settings.ts";
import { updateRetentionProcedure } from "./update-retention.ts";

export const organizationsRouter = router({
  list: listOrganizationsProcedure,
  get: getOrganizationProcedure,
  members: listMembersProcedure,
  powerfulCredentials: listPowerfulCredentialsProcedure,
  create: createOrganizationProcedure,
  setTier: setOrganizationTierProcedure,
  updateSettings: updateOrganizationSettingsProcedure,
  updateDataProtection: updateDataProtectionProcedure,
  updateRetention: updateRetentionProcedure,
  legalHold: getLegalHoldProcedure,
  setLegalHold: setLegalHoldProcedure,
});
