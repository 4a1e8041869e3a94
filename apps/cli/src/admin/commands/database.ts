import { bootstrapPlatform } from "@dsc/core";
import { listPendingMigrations, seedReferenceData } from "@dsc/db";
import type { CliEnv } from "../../env.ts";
import { type AdminCommand, adminCommand, flag } from "../command.ts";

export const migrate = adminCommand({
  name: "migrate",
  usage: "migrate",
  // Opening the platform applies pending migrations; this reports the result.
  async run(platform, _input, out) {
    const pending = await listPendingMigrations(platform.database.url);
    out.result(
      pending.length === 0 ? "the database schema is up to date" : `pending: ${pending.join(", ")}`,
      {
        upToDate: pending.length === 0,
        pending,
      },
    );
  },
});

export function seedCommand(env: CliEnv): AdminCommand {
  return adminCommand({
    name: "seed",
    usage: "seed [--no-demo]",
    options: { "no-demo": flag },
    async run(platform, { values }, out) {
      await seedReferenceData(platform.db);
      const result = await bootstrapPlatform(platform, {
        adminEmail: env.ADMIN_EMAIL,
        adminPassword: env.ADMIN_PASSWORD,
        withDemo: values["no-demo"] !== true,
      });
      const lines = ["tiers and default model are in place"];
      if (result.admin) {
        lines.push(`admin: ${result.admin.email}`);
        if (result.admin.generatedPassword)
          lines.push(`admin password (shown once): ${result.admin.generatedPassword}`);
      }
      if (result.demo) {
        lines.push(`demo organization: ${result.demo.organizationId}`);
        lines.push(`demo API key (shown once): ${result.demo.apiKey.secret}`);
      }
      if (!result.firstRun)
        lines.push("the platform was bootstrapped before: no people or keys were created");
      out.result(lines.join("\n"), {
        firstRun: result.firstRun,
        admin: result.admin ?? null,
        demo: result.demo
          ? {
              organizationId: result.demo.organizationId,
              key: result.demo.apiKey.secret,
              id: result.demo.apiKey.key.id,
            }
          : null,
      });
    },
  });
}
