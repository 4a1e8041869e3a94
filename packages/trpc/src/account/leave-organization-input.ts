import { z } from "zod";

export const LeaveOrganizationInputSchema = z.object({
  organizationId: z.string().trim().min(1, "Choose an organization.").max(100),
});
