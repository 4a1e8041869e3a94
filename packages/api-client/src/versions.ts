import { z } from "zod";

/**
 * Versions of the public API. A version is deprecated when the next one is released and
 * sunset six months after that; after its sunset it is refused.
 */
export interface ApiVersion {
  version: string;
  /** ISO dates (UTC midnight) */
  released: string;
  deprecated: string | null;
  sunset: string | null;
}

export const CURRENT_API_VERSION = "1.2";

export const ApiVersionSchema = z.object({
  version: z.string(),
  released: z.string(),
  deprecated: z.string().nullable(),
  sunset: z.string().nullable(),
});

/** GET /v1/versions: the table that the Deprecation headers link to. */
export const ApiVersionListSchema = z.object({
  object: z.literal("list"),
  current: z.string(),
  data: z.array(ApiVersionSchema),
});
export type ApiVersionList = z.infer<typeof ApiVersionListSchema>;

export const API_VERSIONS: readonly ApiVersion[] = [
  { version: "1.0", released: "2025-11-01", deprecated: "2026-05-01", sunset: "2026-11-01" },
  { version: "1.1", released: "2026-05-01", deprecated: "2026-11-01", sunset: "2027-05-01" },
  { version: "1.2", released: "2026-11-01", deprecated: null, sunset: null },
];

export type ApiVersionStatus =
  | { status: "current" | "supported"; version: ApiVersion }
  | { status: "deprecated"; version: ApiVersion; deprecatedAt: Date; sunsetAt: Date }
  | { status: "sunset"; version: ApiVersion }
  | { status: "unknown" };

/** Where a version stands at a moment; the gateway negotiates with it. */
export function apiVersionStatus(requested: string, now: Date): ApiVersionStatus {
  const version = API_VERSIONS.find((v) => v.version === requested);
  if (!version) return { status: "unknown" };
  const sunsetAt = version.sunset ? new Date(`${version.sunset}T00:00:00Z`) : null;
  if (sunsetAt && sunsetAt <= now) return { status: "sunset", version };
  const deprecatedAt = version.deprecated ? new Date(`${version.deprecated}T00:00:00Z`) : null;
  if (deprecatedAt && sunsetAt && deprecatedAt <= now) {
    return { status: "deprecated", version, deprecatedAt, sunsetAt };
  }
  return { status: version.version === CURRENT_API_VERSION ? "current" : "supported", version };
}
