import type { OrganizationSnapshot, OrganizationSnapshotCache } from "@dsc/core";
import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { organizationOf } from "./organization-of.ts";

/** A snapshot source that counts its reads and answers for one organization. */
function countingSnapshots() {
  const reads: string[] = [];
  const snapshot = { id: "org_1" } as unknown as OrganizationSnapshot;
  const organizations = {
    async get(organizationId: string) {
      reads.push(organizationId);
      return organizationId === "org_1" ? snapshot : null;
    },
  } as unknown as OrganizationSnapshotCache;
  return { deps: { organizations }, reads, snapshot };
}

const requestOf = (organizationId: string) =>
  ({
    principal: { kind: "api_key", credentialId: "key_1", organizationId, scopes: [] },
    organizationSnapshot: null,
  }) as unknown as FastifyRequest;

describe("organizationOf", () => {
  it("reads a request's snapshot once, however many of its steps ask", async () => {
    const { deps, reads, snapshot } = countingSnapshots();
    const request = requestOf("org_1");
    expect(await organizationOf(deps, request)).toBe(snapshot);
    expect(await organizationOf(deps, request)).toBe(snapshot);
    expect(reads).toEqual(["org_1"]);
    await organizationOf(deps, requestOf("org_1"));
    expect(reads).toEqual(["org_1", "org_1"]);
  });

  it("refuses a credential whose organization is gone, as invalid_api_key", async () => {
    const { deps } = countingSnapshots();
    await expect(organizationOf(deps, requestOf("org_gone"))).rejects.toMatchObject({
      code: "unauthenticated",
    });
  });
});
