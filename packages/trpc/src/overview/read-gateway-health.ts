import { allowRoles } from "../procedure.ts";

/**
 * The gateway's readiness and gauges, as the dashboard reaches it (cached for seconds by the
 * reader); null when this dashboard has no reader (tests).
 */
export const readGatewayHealthProcedure = allowRoles("ADMIN", "COMPLIANCE").query(
  async ({ ctx }) => (await ctx.gatewayHealth?.read()) ?? null,
);
