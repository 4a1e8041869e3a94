import { DomainError } from "../errors/domain-error.ts";

/** What people set on a deployment; null means the gateway's default for that setting. */
export interface DeploymentSettings {
  upstreamBaseUrl: string | null;
  upstreamModel: string | null;
  apiKeyRef: string | null;
  weight: number;
  priority: number;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  connectTimeoutMs: number | null;
  firstByteTimeoutMs: number | null;
  totalTimeoutMs: number | null;
  /** GET <base>/models this often, feeding the breaker; null = no active checks */
  healthCheckIntervalMs: number | null;
  isEnabled: boolean;
}

/** Only the settings of a deployment row (or of anything that has them), nothing else it holds. */
export function pickDeploymentSettings(deployment: DeploymentSettings): DeploymentSettings {
  return {
    upstreamBaseUrl: deployment.upstreamBaseUrl,
    upstreamModel: deployment.upstreamModel,
    apiKeyRef: deployment.apiKeyRef,
    weight: deployment.weight,
    priority: deployment.priority,
    requestsPerMinute: deployment.requestsPerMinute,
    tokensPerMinute: deployment.tokensPerMinute,
    connectTimeoutMs: deployment.connectTimeoutMs,
    firstByteTimeoutMs: deployment.firstByteTimeoutMs,
    totalTimeoutMs: deployment.totalTimeoutMs,
    healthCheckIntervalMs: deployment.healthCheckIntervalMs,
    isEnabled: deployment.isEnabled,
  };
}

/** The name of a key in UPSTREAM_API_KEYS, e.g. `vllm-east` or `OPENAI_PROD`. */
export const API_KEY_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// how the keys of well-known providers start: a value like this is a key pasted where its name goes
const LOOKS_LIKE_A_KEY = /^(?:sk|pk|rk|key|api)[-_][A-Za-z0-9_-]{16}/i;

export const DEPLOYMENT_BOUNDS = {
  weight: [0, 1_000_000],
  priority: [0, 1_000],
  requestsPerMinute: [1, 10_000_000],
  tokensPerMinute: [1, 1_000_000_000],
  connectTimeoutMs: [100, 600_000],
  firstByteTimeoutMs: [100, 3_600_000],
  totalTimeoutMs: [100, 3_600_000],
  // the checks run at most once a second whatever the row says
  healthCheckIntervalMs: [1_000, 3_600_000],
} as const;

const NULLABLE = new Set([
  "requestsPerMinute",
  "tokensPerMinute",
  "connectTimeoutMs",
  "firstByteTimeoutMs",
  "totalTimeoutMs",
  "healthCheckIntervalMs",
]);

/**
 * Checks the settings present in `settings` and returns them normalized (trimmed, the base URL
 * without trailing slashes). The boundary's schema says the same; this is the rule.
 */
export function normalizeDeploymentSettings(
  settings: Partial<DeploymentSettings>,
): Partial<DeploymentSettings> {
  const normalized: Partial<DeploymentSettings> = { ...settings };
  if (settings.upstreamBaseUrl !== undefined) {
    normalized.upstreamBaseUrl = normalizeBaseUrl(settings.upstreamBaseUrl);
  }
  if (settings.upstreamModel !== undefined) {
    const name = settings.upstreamModel?.trim() || null;
    if (name !== null && name.length > 200) {
      throw new DomainError("invalid", "The upstream model name is at most 200 characters.", "upstreamModel");
    }
    normalized.upstreamModel = name;
  }
  if (settings.apiKeyRef !== undefined) normalized.apiKeyRef = normalizeApiKeyRef(settings.apiKeyRef);
  for (const [field, [min, max]] of Object.entries(DEPLOYMENT_BOUNDS)) {
    const value = settings[field as keyof typeof DEPLOYMENT_BOUNDS];
    if (value === undefined) continue;
    if (value === null) {
      if (NULLABLE.has(field)) continue;
      throw new DomainError("invalid", `${field} cannot be empty.`, field);
    }
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new DomainError(
        "invalid",
        `${field} must be a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}.`,
        field,
      );
    }
  }
  return normalized;
}

function normalizeBaseUrl(value: string | null): string | null {
  const text = value?.trim() || null;
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError(
      "invalid",
      "The base URL must be an http:// or https:// address.",
      "upstreamBaseUrl",
    );
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || text.length > 2_000) {
    throw new DomainError(
      "invalid",
      "The base URL must be an http:// or https:// address.",
      "upstreamBaseUrl",
    );
  }
  // keys live in UPSTREAM_API_KEYS only: an address with credentials would put one in the database
  if (url.username !== "" || url.password !== "") {
    throw new DomainError(
      "invalid",
      "The base URL must not hold a user name or password; name the key in UPSTREAM_API_KEYS instead.",
      "upstreamBaseUrl",
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new DomainError("invalid", "The base URL has no query or fragment.", "upstreamBaseUrl");
  }
  // the lookbehind reads a run of trailing slashes once, not once per character of it
  return url.toString().replace(/(?<!\/)\/+$/, "");
}

function normalizeApiKeyRef(value: string | null): string | null {
  const name = value?.trim() || null;
  if (name === null) return null;
  if (LOOKS_LIKE_A_KEY.test(name)) {
    throw new DomainError(
      "invalid",
      "That looks like a key itself. Put the key in UPSTREAM_API_KEYS and give its name here.",
      "apiKeyRef",
    );
  }
  if (!API_KEY_REF_PATTERN.test(name)) {
    throw new DomainError(
      "invalid",
      "The key reference is the name of a key in UPSTREAM_API_KEYS: 1 to 64 letters, digits, dots, dashes or underscores.",
      "apiKeyRef",
    );
  }
  return name;
}
