import type { Database, Prisma } from "@dsc/db";
import type { Role } from "@dsc/vocabulary";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

export interface ListUsersInput {
  /** case-insensitive part of the e-mail address or name */
  search?: string;
  role?: Role;
  /** the members of this organization */
  organizationId?: string;
  /** "active" (default), "deactivated" or "all" */
  status?: "active" | "deactivated" | "all";
  limit?: number;
  /** the id of the last person of the previous page */
  after?: string;
}

export interface UserPage {
  items: UserView[];
  /** pass as `after` for the next page; null on the last page */
  nextCursor: string | null;
}

/** Dashboard people by e-mail address, in pages keyed by id. */
export async function listUsers(deps: { db: Database }, input: ListUsersInput = {}): Promise<UserPage> {
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const status = input.status ?? "active";
  const where: Prisma.UserWhereInput = {
    ...(input.search
      ? {
          OR: [
            { email: { contains: input.search, mode: "insensitive" } },
            { name: { contains: input.search, mode: "insensitive" } },
          ],
        }
      : {}),
    ...(input.role ? { role: input.role } : {}),
    ...(input.organizationId ? { memberships: { some: { organizationId: input.organizationId } } } : {}),
    ...(status === "active" ? { deactivatedAt: null } : {}),
    ...(status === "deactivated" ? { deactivatedAt: { not: null } } : {}),
  };
  const users = await deps.db.user.findMany({
    where,
    include: USER_VIEW_INCLUDE,
    orderBy: [{ email: "asc" }, { id: "asc" }],
    take: limit + 1,
    ...(input.after ? { cursor: { id: input.after }, skip: 1 } : {}),
  });
  const page = users.slice(0, limit);
  return {
    items: page.map(toUserView),
    nextCursor: users.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
