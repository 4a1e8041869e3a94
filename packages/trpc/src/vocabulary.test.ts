import {
  ALL_PII_KINDS,
  DEFAULT_API_KEY_SCOPES,
  DELETION_REQUEST_FILTERS,
  LEGAL_HOLD_REASON_MAX_LENGTH,
  NEAR_DEADLINE_MS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  ROLES,
  SCOPES,
} from "@dsc/core";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCOPE_NAMES,
  DELETION_REQUEST_FILTER_NAMES,
  LEGAL_HOLD_REASON_MAX,
  NEAR_DEADLINE_HOURS,
  PASSWORD_BOUNDS,
  PII_KIND_NAMES,
  ROLE_NAMES,
  SCOPE_NAMES,
} from "./vocabulary.ts";

describe("the browser-safe vocabulary", () => {
  it("says what core says about roles, scopes, passwords, deletion deadlines and data protection", () => {
    expect(ROLE_NAMES).toEqual(ROLES);
    expect(SCOPE_NAMES).toEqual(SCOPES);
    expect(DEFAULT_SCOPE_NAMES).toEqual(DEFAULT_API_KEY_SCOPES);
    expect(PASSWORD_BOUNDS).toEqual({ min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
    expect(DELETION_REQUEST_FILTER_NAMES).toEqual(DELETION_REQUEST_FILTERS);
    expect(NEAR_DEADLINE_HOURS * 3_600_000).toBe(NEAR_DEADLINE_MS);
    expect(PII_KIND_NAMES).toEqual(ALL_PII_KINDS);
    expect(LEGAL_HOLD_REASON_MAX).toBe(LEGAL_HOLD_REASON_MAX_LENGTH);
  });
});
