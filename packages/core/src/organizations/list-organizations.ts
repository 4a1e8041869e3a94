import type { Database } from "@dsc/db";
import { type OrganizationView, toOrganizationView } from "./organization-view.ts";

export interface ListOrganizationsInput {
  /** case-insensitive part of the name, or an organization's exact id */
  search?: string;
  limit?: number;
  /** the id of the last organization of the previous page */
  after?: string;
  /** restrict to this one organization (a developer's own) */
  onlyId?: string;
}

/** Organizations by name, in pages keyed by id so that paging stays stable. */
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
    orderBy: { id: "asc" },
    take: limit,
    ...(input.after ? { cursor: { id: input.after }, skip: 1 } : {}),
  });
  return orgs.map(toOrganizationView);
}
