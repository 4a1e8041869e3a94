import { cliActor, createOrganization, listOrganizations, setOrganizationTier } from "@dsc/core";
import {
  type AdminCommand,
  iso,
  noPositionals,
  optionalString,
  requiredString,
  table,
  UsageError,
} from "../command.ts";

export const orgCreate: AdminCommand = {
  name: "org create",
  usage: "org create --name NAME --tier free|pro",
  options: { name: { type: "string" }, tier: { type: "string" } },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const org = await createOrganization(platform, {
      name: requiredString(values, "name"),
      tier: requiredString(values, "tier"),
      actor: cliActor(),
    });
    out.result(`created organization ${org.id} (${org.name}, tier ${org.tier})`, org);
  },
};

export const orgList: AdminCommand = {
  name: "org list",
  usage: "org list [--search TEXT] [--limit N] [--after ID]",
  options: { search: { type: "string" }, limit: { type: "string" }, after: { type: "string" } },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const limitText = optionalString(values, "limit");
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
      throw new UsageError("--limit must be a whole number from 1 to 1000");
    }
    const orgs = await listOrganizations(platform, {
      search: optionalString(values, "search"),
      limit,
      after: optionalString(values, "after"),
    });
    out.result(
      table(
        ["ID", "NAME", "TIER", "CREATED"],
        orgs.map((o) => [o.id, o.name, o.tier, iso(o.createdAt)]),
      ),
      orgs,
    );
  },
};

export const tierSet: AdminCommand = {
  name: "tier set",
  usage: "tier set --org ORG_ID --tier TIER",
  options: { org: { type: "string" }, tier: { type: "string" } },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const org = await setOrganizationTier(platform, {
      organizationId: requiredString(values, "org"),
      tier: requiredString(values, "tier"),
      actor: cliActor(),
    });
    out.result(`organization ${org.id} is now on tier ${org.tier}`, org);
  },
};
