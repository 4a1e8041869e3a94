import type { Database, Prisma } from "@dsc/db";
import { FILE_SORTS, type FileSort } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { liveFilesWhere } from "./file-deps.ts";
import { nextFilePurgeAt } from "./file-purge-schedule.ts";
import { purgedByWhere } from "./file-retention.ts";
import { type OrganizationFileView, toOrganizationFileView } from "./organization-file-view.ts";

export { FILE_SORTS, type FileSort };

/** How deep offset paging goes; past it, a filter narrows the list instead. */
export const MAX_FILE_SEARCH_OFFSET = 10_000;

export interface SearchOrganizationFilesInput {
  organizationId: string;
  purpose?: string | undefined;
  /** exactly as the API received it */
  endUserId?: string | undefined;
  /** part of the file name, any case */
  nameContains?: string | undefined;
  /** files whose expiry is before this time */
  expiresBefore?: Date | undefined;
  /** only the files the next purge run will remove */
  nextPurgeOnly?: boolean | undefined;
  sort?: FileSort | undefined;
  direction?: "asc" | "desc" | undefined;
  /** 1 to 100; default 25 */
  limit?: number | undefined;
  /** the `nextCursor` of the previous page */
  after?: string | undefined;
}

export interface OrganizationFilePage {
  items: OrganizationFileView[];
  /** an offset into the same sort and filters; null on the last page (or at the depth limit) */
  nextCursor: string | null;
}

const ORDER_FIELD = {
  created: "createdAt",
  size: "bytes",
  expiry: "expiresAt",
  name: "filename",
} as const satisfies Record<FileSort, keyof Prisma.FileOrderByWithRelationInput>;

/**
 * A page of one organization's live files, filtered and sorted. Every query starts from the
 * organization (its (organization, created) and (organization, end user) indexes), so the work
 * is bounded by one organization's files, which its storage quota and retention keep few;
 * paging is by offset, at most MAX_FILE_SEARCH_OFFSET deep, ties broken by id so pages neither
 * skip nor repeat a file.
 */
export async function searchOrganizationFiles(
  deps: { db: Database; clock: Clock },
  input: SearchOrganizationFilesInput,
): Promise<OrganizationFilePage> {
  const now = deps.clock.now();
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  const offset = offsetOf(input.after);
  const where: Prisma.FileWhereInput[] = [liveFilesWhere(input.organizationId, now)];
  if (input.purpose) where.push({ purpose: input.purpose });
  if (input.endUserId !== undefined) where.push({ endUserId: input.endUserId });
  if (input.nameContains)
    where.push({ filename: { contains: likeText(input.nameContains), mode: "insensitive" } });
  if (input.expiresBefore) where.push({ expiresAt: { lt: input.expiresBefore } });
  if (input.nextPurgeOnly) where.push(await nextPurgeWhere(deps.db, input.organizationId, now));
  const direction = input.direction ?? "desc";
  const field = ORDER_FIELD[input.sort ?? "created"];
  const rows = await deps.db.file.findMany({
    where: { AND: where },
    orderBy: [
      field === "expiresAt"
        ? { expiresAt: { sort: direction, nulls: direction === "asc" ? "last" : "first" } }
        : { [field]: direction },
      { id: direction },
    ],
    skip: offset,
    take: limit + 1,
  });
  const next = offset + limit;
  return {
    items: rows.slice(0, limit).map(toOrganizationFileView),
    nextCursor: rows.length > limit && next <= MAX_FILE_SEARCH_OFFSET ? String(next) : null,
  };
}

/** The files the next purge run removes; none while the organization is under a legal hold. */
export async function nextPurgeWhere(
  db: Database,
  organizationId: string,
  now: Date,
): Promise<Prisma.FileWhereInput> {
  const org = await db.organization.findUnique({
    where: { id: organizationId },
    select: { fileRetentionDays: true, legalHold: true },
  });
  if (!org || org.legalHold) return { id: { in: [] } };
  return purgedByWhere(org.fileRetentionDays, nextFilePurgeAt(now));
}

/** Prisma puts `contains` into a LIKE pattern as is: its wildcards are meant as plain text here. */
function likeText(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function offsetOf(after: string | undefined): number {
  if (after === undefined) return 0;
  const offset = /^\d{1,6}$/.test(after) ? Number(after) : Number.NaN;
  if (!(offset <= MAX_FILE_SEARCH_OFFSET)) {
    throw new DomainError(
      "invalid",
      "That page of files does not exist; start from the first page.",
      "after",
    );
  }
  return offset;
}
