import {
  cliActor,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  loadMasterKeyring,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
  type WebhookEndpointDeps,
  type WebhookEndpointView,
  webhookAddressPolicyOf,
} from "@dsc/core";
import type { CliEnv } from "../../env.ts";
import type { Platform } from "../../platform.ts";
import {
  type AdminCommand,
  adminCommand,
  flag,
  iso,
  optionalDuration,
  required,
  table,
  text,
  UsageError,
} from "../command.ts";

// The CLI acts as the platform's operator: on any organization's endpoints and the platform's.
const viewer = { organizationId: null };

/** The master keys seal signing secrets: the CLI loads them as the gateway and worker do. */
async function webhookDeps(env: CliEnv, platform: Platform): Promise<WebhookEndpointDeps> {
  const keyring = await loadMasterKeyring({
    configured: env.ENCRYPTION_KEY,
    dataDir: env.DATA_DIR,
    isProduction: env.NODE_ENV === "production",
  });
  return { db: platform.db, clock: platform.clock, keyring, addressPolicy: webhookAddressPolicyOf(env) };
}

/** --org ORG_ID, or --platform for the platform's endpoints; exactly one. */
function ownerOf(values: { org?: string | undefined; platform?: boolean | undefined }): string | null {
  if (values.platform && values.org) throw new UsageError("give --org or --platform, not both");
  if (values.platform) return null;
  if (!values.org) throw new UsageError("--org ORG_ID or --platform is required");
  return values.org;
}

const describe = (endpoint: WebhookEndpointView) =>
  `${endpoint.id} ${endpoint.enabled ? "enabled" : "disabled"} ${endpoint.url}`;

/** `webhook create`: the signing secret is printed once. */
export function webhookCreate(env: CliEnv): AdminCommand {
  return adminCommand({
    name: "webhook create",
    usage: "webhook create (--org ORG_ID | --platform) --url URL --events a,b [--description TEXT]",
    options: { org: text, platform: flag, url: required, events: required, description: text },
    async run(platform, { values }, out) {
      const eventTypes = values.events
        .split(",")
        .map((type) => type.trim())
        .filter(Boolean);
      const { endpoint, secret } = await createWebhookEndpoint(await webhookDeps(env, platform), {
        organizationId: ownerOf(values),
        url: values.url,
        description: values.description,
        eventTypes,
        actor: cliActor(),
      });
      out.result(
        [
          `created webhook endpoint ${endpoint.id} for ${endpoint.organizationId ?? "the platform"}`,
          `events: ${endpoint.eventTypes.join(", ")}`,
          "",
          `  ${secret}`,
          "",
          "The signing secret is shown only now. Give it to the receiver (Standard Webhooks).",
        ].join("\n"),
        { ...endpoint, secret },
      );
    },
  });
}

export const webhookList = adminCommand({
  name: "webhook list",
  usage: "webhook list (--org ORG_ID | --platform) [--limit N]",
  options: { org: text, platform: flag, limit: text },
  async run(platform, { values }, out) {
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new UsageError("--limit must be 1 to 100");
    const page = await listWebhookEndpoints(platform, { organizationId: ownerOf(values), limit });
    out.result(
      table(
        ["ID", "STATE", "URL", "EVENTS", "CREATED"],
        page.items.map((endpoint) => [
          endpoint.id,
          endpoint.enabled ? "enabled" : "disabled",
          endpoint.url,
          endpoint.eventTypes.join(","),
          iso(endpoint.createdAt),
        ]),
      ),
      page.items,
    );
  },
});

function setEnabledCommand(enabled: boolean): AdminCommand {
  const verb = enabled ? "enable" : "disable";
  return adminCommand({
    name: `webhook ${verb}`,
    usage: `webhook ${verb} ENDPOINT_ID`,
    argument: "endpoint id",
    async run(platform, { argument }, out) {
      const endpoint = await setWebhookEndpointEnabled(platform, {
        endpointId: argument,
        viewer,
        enabled,
        actor: cliActor(),
      });
      out.result(describe(endpoint), endpoint);
    },
  });
}

export const webhookEnable = setEnabledCommand(true);
export const webhookDisable = setEnabledCommand(false);

export const webhookDelete = adminCommand({
  name: "webhook delete",
  usage: "webhook delete ENDPOINT_ID",
  argument: "endpoint id",
  async run(platform, { argument }, out) {
    const result = await deleteWebhookEndpoint(platform, { endpointId: argument, viewer, actor: cliActor() });
    out.result(`deleted webhook endpoint ${result.deleted} and its deliveries`, result);
  },
});

/** `webhook rotate-secret`: the new secret is printed once; the old one also signs for --grace. */
export function webhookRotateSecret(env: CliEnv): AdminCommand {
  return adminCommand({
    name: "webhook rotate-secret",
    usage: "webhook rotate-secret ENDPOINT_ID [--grace 24h|0]",
    argument: "endpoint id",
    options: { grace: text },
    async run(platform, { argument, values }, out) {
      const { endpoint, secret } = await rotateWebhookSecret(await webhookDeps(env, platform), {
        endpointId: argument,
        viewer,
        gracePeriodMs: optionalDuration(values.grace, "grace"),
        actor: cliActor(),
      });
      out.result(
        [
          `new signing secret for ${endpoint.id}`,
          "",
          `  ${secret}`,
          "",
          endpoint.previousSecretExpiresAt
            ? `The previous secret also signs deliveries until ${iso(endpoint.previousSecretExpiresAt)}.`
            : "The previous secret no longer signs deliveries.",
        ].join("\n"),
        { ...endpoint, secret },
      );
    },
  });
}
