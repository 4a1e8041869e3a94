/**
 * Versions of the public API. A version is deprecated when the next one is released and
 * sunset six months later; see the gateway's version negotiation.
 */
export interface ApiVersion {
  version: string;
  released: string;
  deprecated: string | null;
  sunset: string | null;
}

export const CURRENT_API_VERSION = "1.2";

export const API_VERSIONS: readonly ApiVersion[] = [
  { version: "1.2", released: "2026-11-01", deprecated: null, sunset: null },
];
