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
import { adminCommand, flag, iso, required, requiredString, table, text, UsageError } from "../command.ts";

export const orgCreate = adminCommand({
  name: "org create",
  usage: "org create --name NAME --tier free|pro",
  options: { name: required, tier: required },
  async run(platform, { values }, out) {
    const org = await createOrganization(platform, { ...values, actor: cliActor() });
    out.result(`created organization ${org.id} (${org.name}, tier ${org.tier})`, org);
  },
});

export const orgList = adminCommand({
  name: "org list",
  usage: "org list [--search TEXT] [--limit N] [--after ID]",
  options: { search: text, limit: text, after: text },
  async run(platform, { values }, out) {
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
      throw new UsageError("--limit must be a whole number from 1 to 1000");
    }
    const orgs = await listOrganizations(platform, { search: values.search, limit, after: values.after });
    out.result(
      table(
        ["ID", "NAME", "TIER", "CREATED"],
        orgs.map((o) => [o.id, o.name, o.tier, iso(o.createdAt)]),
      ),
      orgs,
    );
  },
});

export const tierSet = adminCommand({
  name: "tier set",
  usage: "tier set --org ORG_ID --tier TIER",
  options: { org: required, tier: required },
  async run(platform, { values: { org: organizationId, tier } }, out) {
    const org = await setOrganizationTier(platform, { organizationId, tier, actor: cliActor() });
    out.result(`organization ${org.id} is now on tier ${org.tier}`, org);
  },
});

const MIB = 1024 * 1024;

export const tierStorage = adminCommand({
  name: "tier storage",
  usage: "tier storage --tier TIER (--max-mib N | --unlimited)",
  options: { tier: required, "max-mib": text, unlimited: flag },
  async run(platform, { values }, out) {
    const mibText = values["max-mib"];
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
      tier: values.tier,
      maxStorageBytes,
      actor: cliActor(),
    });
    const limit = tier.maxStorageBytes === null ? "unlimited" : `${tier.maxStorageBytes / MIB} MiB`;
    out.result(`tier ${tier.slug}: file storage per organization ${limit}`, tier);
  },
});

export const orgLegalHold = adminCommand({
  name: "org legal-hold",
  usage: 'org legal-hold --org ORG_ID --on --reason "WHY" | --off [--reason "WHY"]',
  options: { org: required, on: flag, off: flag, reason: text },
  async run(platform, { values }, out) {
    if (values.on === values.off) throw new UsageError("say either --on or --off");
    const legalHold = values.on === true;
    const org = await setLegalHold(platform, {
      organizationId: values.org,
      legalHold,
      // a hold needs its reason on record; lifting one may say why
      reason: legalHold ? requiredString(values, "reason") : values.reason,
      actor: cliActor(),
    });
    out.result(
      legalHold
        ? `organization ${org.id} is under a legal hold: its chat logs and files are kept until it is lifted`
        : `organization ${org.id} is no longer under a legal hold: retention applies again from the next purge`,
      org,
    );
  },
});

export const orgDataProtection = adminCommand({
  name: "org data-protection",
  usage: "org data-protection --org ORG_ID [--mask KIND,...|none] [--mask-upstream on|off] [--cache on|off]",
  options: { org: required, mask: text, "mask-upstream": text, cache: text },
  async run(platform, { values }, out) {
    const settings = {
      piiMaskKinds: values.mask === undefined ? undefined : maskKinds(values.mask),
      maskPiiUpstream: onOff(values["mask-upstream"], "mask-upstream"),
      responseCacheEnabled: onOff(values.cache, "cache"),
    };
    if (Object.values(settings).every((value) => value === undefined)) {
      throw new UsageError("say what to change: --mask, --mask-upstream or --cache");
    }
    const org = await updateDataProtection(platform, {
      organizationId: values.org,
      ...settings,
      actor: cliActor(),
    });
    out.result(describeDataProtection(org), org);
  },
});

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

function onOff(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== "on" && value !== "off") throw new UsageError(`--${name} must be on or off`);
  return value === "on";
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
