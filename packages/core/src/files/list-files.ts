import type { File, Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import { type FileDeps, liveFilesWhere } from "./file-deps.ts";

export interface ListFilesInput {
  organizationId: string;
  purpose?: string | undefined;
  /** 1 to 10,000; default 10,000 as OpenAI's */
  limit?: number | undefined;
  /** a file id: the page starts after it, in the chosen order */
  after?: string | undefined;
  /** by creation time; default newest first */
  order?: "asc" | "desc" | undefined;
}

export const MAX_FILE_LIST_LIMIT = 10_000;

/**
 * A page of the organization's unexpired files, ordered by creation time (ties by id, so the
 * order is total and `after` never skips or repeats a file).
 */
export async function listFiles(
  deps: Pick<FileDeps, "db" | "clock">,
  input: ListFilesInput,
): Promise<{ files: File[]; hasMore: boolean }> {
  const limit = input.limit ?? MAX_FILE_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FILE_LIST_LIMIT) {
    throw new DomainError("invalid", `limit must be 1 to ${MAX_FILE_LIST_LIMIT}.`, "limit", "invalid_value");
  }
  const order = input.order ?? "desc";
  const where: Prisma.FileWhereInput[] = [liveFilesWhere(input.organizationId, deps.clock.now())];
  if (input.purpose) where.push({ purpose: input.purpose });
  if (input.after) {
    // the cursor may have expired since the last page; it still marks a place in the order
    const cursor = await deps.db.file.findFirst({
      where: { id: input.after, organizationId: input.organizationId },
      select: { id: true, createdAt: true },
    });
    if (!cursor) {
      throw new DomainError(
        "invalid",
        `No such file: '${input.after.slice(0, 64)}'.`,
        "after",
        "invalid_value",
      );
    }
    const beyond = order === "desc" ? "lt" : "gt";
    where.push({
      OR: [
        { createdAt: { [beyond]: cursor.createdAt } },
        { createdAt: cursor.createdAt, id: { [beyond]: cursor.id } },
      ],
    });
  }
  const rows = await deps.db.file.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: order }, { id: order }],
    take: limit + 1,
  });
  return { files: rows.slice(0, limit), hasMore: rows.length > limit };
}
