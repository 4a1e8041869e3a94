import { describe, expect, it } from "vitest";
import { isSameSubject, pendingEmptyConfirmation } from "./erasure-confirmation.ts";

const counted = { organizationId: "org_1", endUserId: "zoe" };

describe("pendingEmptyConfirmation", () => {
  it("asks about the counted values while the fields still hold them", () => {
    expect(pendingEmptyConfirmation(counted, { organizationId: "org_1", endUserId: "zoe" })).toBe(counted);
  });

  it("stops asking once either field says otherwise, spaces and letter case included", () => {
    expect(pendingEmptyConfirmation(counted, { organizationId: "org_1", endUserId: "zoe2" })).toBeNull();
    expect(pendingEmptyConfirmation(counted, { organizationId: "org_1", endUserId: " zoe" })).toBeNull();
    expect(pendingEmptyConfirmation(counted, { organizationId: "org_1", endUserId: "Zoe" })).toBeNull();
    expect(pendingEmptyConfirmation(counted, { organizationId: "org_2", endUserId: "zoe" })).toBeNull();
    expect(pendingEmptyConfirmation(counted, {})).toBeNull();
  });

  it("asks nothing when nothing was counted empty", () => {
    expect(pendingEmptyConfirmation(null, { organizationId: "org_1", endUserId: "zoe" })).toBeNull();
  });
});

describe("isSameSubject", () => {
  it("compares both fields exactly", () => {
    expect(isSameSubject(counted, { ...counted })).toBe(true);
    expect(isSameSubject(counted, { ...counted, endUserId: "zoe " })).toBe(false);
  });
});
