import {
  cliActor,
  createOrganization,
  listOrganizations,
  type OrganizationDetails,
  setLegalHold,
  setOrganizationTier,
  setTierStorageQuota,
  updateDataProtection,
} from "@dsc/core";
import {
  type AdminCommand,
  iso,
  noPositionals,
  optionalString,
  requiredString,
  table,
  UsageError,
  type Values,
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

const MIB = 1024 * 1024;

export const tierStorage: AdminCommand = {
  name: "tier storage",
  usage: "tier storage --tier TIER (--max-mib N | --unlimited)",
  options: { tier: { type: "string" }, "max-mib": { type: "string" }, unlimited: { type: "boolean" } },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const mibText = optionalString(values, "max-mib");
    if ((mibText === undefined) === (values.unlimited !== true)) {
      throw new UsageError("give either --max-mib N or --unlimited");
    }
    let maxStorageBytes: number | null = null;
    if (mibText !== undefined) {
      const mib = Number(mibText);
      if (!/^\d+$/.test(mibText.trim()) || !Number.isSafeInteger(mib * MIB) || mib < 1) {
        throw new UsageError("--max-mib must be a whole number of MiB, at least 1");
      }
      maxStorageBytes = mib * MIB;
    }
    const tier = await setTierStorageQuota(platform, {
      tier: requiredString(values, "tier"),
      maxStorageBytes,
      actor: cliActor(),
    });
    const limit = tier.maxStorageBytes === null ? "unlimited" : `${tier.maxStorageBytes / MIB} MiB`;
    out.result(`tier ${tier.slug}: file storage per organization ${limit}`, tier);
  },
};

export const orgLegalHold: AdminCommand = {
  name: "org legal-hold",
  usage: 'org legal-hold --org ORG_ID --on --reason "WHY" | --off [--reason "WHY"]',
  options: {
    org: { type: "string" },
    on: { type: "boolean" },
    off: { type: "boolean" },
    reason: { type: "string" },
  },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    if (values.on === values.off) throw new UsageError("say either --on or --off");
    const legalHold = values.on === true;
    const org = await setLegalHold(platform, {
      organizationId: requiredString(values, "org"),
      legalHold,
      reason: legalHold ? requiredString(values, "reason") : optionalString(values, "reason"),
      actor: cliActor(),
    });
    out.result(
      legalHold
        ? `organization ${org.id} is under a legal hold: its chat logs and files are kept until it is lifted`
        : `organization ${org.id} is no longer under a legal hold: retention applies again from the next purge`,
      org,
    );
  },
};

export const orgDataProtection: AdminCommand = {
  name: "org data-protection",
  usage: "org data-protection --org ORG_ID [--mask KIND,...|none] [--mask-upstream on|off] [--cache on|off]",
  options: {
    org: { type: "string" },
    mask: { type: "string" },
    "mask-upstream": { type: "string" },
    cache: { type: "string" },
  },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const organizationId = requiredString(values, "org");
    const mask = optionalString(values, "mask");
    const settings = {
      piiMaskKinds: mask === undefined ? undefined : maskKinds(mask),
      maskPiiUpstream: onOff(values, "mask-upstream"),
      responseCacheEnabled: onOff(values, "cache"),
    };
    if (Object.values(settings).every((value) => value === undefined)) {
      throw new UsageError("say what to change: --mask, --mask-upstream or --cache");
    }
    const org = await updateDataProtection(platform, { organizationId, ...settings, actor: cliActor() });
    out.result(describeDataProtection(org), org);
  },
};

/** `email,phone`, or `none` to mask nothing; core refuses unknown kinds. */
function maskKinds(text: string): string[] {
  if (text.trim() === "none") return [];
  const kinds = text
    .split(",")
    .map((kind) => kind.trim())
    .filter(Boolean);
  if (kinds.length === 0) throw new UsageError("--mask needs kinds such as email,phone, or none");
  return kinds;
}

function onOff(values: Values, name: string): boolean | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  if (text !== "on" && text !== "off") throw new UsageError(`--${name} must be on or off`);
  return text === "on";
}

function describeDataProtection(org: OrganizationDetails): string {
  const masked = org.piiMaskKinds.length > 0 ? org.piiMaskKinds.join(", ") : "nothing";
  return [
    `organization ${org.id}`,
    `  masks:                   ${masked}`,
    `  masks before the model:  ${org.maskPiiUpstream ? "on" : "off"}`,
    `  response cache:          ${org.responseCacheEnabled ? "on" : "off"}`,
  ].join("\n");
}
