import type { Database, Prisma } from "@dsc/db";
import type { OrganizationSort } from "@dsc/vocabulary";
import { type OrganizationView, toOrganizationView } from "./organization-view.ts";

export interface ListOrganizationsInput {
  /** case-insensitive part of the name, or an organization's exact id */
  search?: string;
  /** by name A–Z (the default), Z–A, newest or oldest first */
  sort?: OrganizationSort;
  limit?: number;
  /** the id of the last organization of the previous page */
  after?: string;
  /** restrict to this one organization (a developer's own) */
  onlyId?: string;
}

// the id breaks ties (two organizations of one name), so that the keyset of a page is unique
const ORDER: Record<OrganizationSort, Prisma.OrganizationOrderByWithRelationInput[]> = {
  name_asc: [{ name: "asc" }, { id: "asc" }],
  name_desc: [{ name: "desc" }, { id: "desc" }],
  newest: [{ createdAt: "desc" }, { id: "desc" }],
  oldest: [{ createdAt: "asc" }, { id: "asc" }],
};

/**
 * Organizations in the order asked for, in pages that start after the last row of the
 * previous one (Prisma's cursor compares the sort keys of that row, so paging stays stable
 * while organizations are added).
 */
export async function listOrganizations(
  deps: { db: Database },
  input: ListOrganizationsInput = {},
): Promise<OrganizationView[]> {
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 1000);
  const orgs = await deps.db.organization.findMany({
    where: {
      ...(input.search
        ? { OR: [{ name: { contains: input.search, mode: "insensitive" } }, { id: input.search }] }
        : {}),
      ...(input.onlyId !== undefined ? { id: input.onlyId } : {}),
    },
    include: { tier: { select: { slug: true } } },
    orderBy: ORDER[input.sort ?? "name_asc"],
    take: limit,
    ...(input.after ? { cursor: { id: input.after }, skip: 1 } : {}),
  });
  return orgs.map(toOrganizationView);
}
