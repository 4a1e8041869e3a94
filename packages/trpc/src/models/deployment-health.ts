import { allowRoles } from "../procedure.ts";

/**
 * The breakers of the gateway GATEWAY_URL reaches (kept seconds by the reader); null when this
 * dashboard has no reader (tests), which the page shows as unknown.
 */
export const deploymentHealthProcedure = allowRoles("ADMIN").query(
  async ({ ctx }) => (await ctx.deploymentHealth?.read()) ?? null,
);
