import type { Database, Prisma } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import type { FileStorage } from "./file-storage.ts";

/** What the file functions need: the records, the time, and where the bytes live. */
export interface FileDeps {
  db: Database;
  clock: Clock;
  storage: FileStorage;
}

/** An organization's files that have not expired at `now`; an expired file is gone at once. */
export function liveFilesWhere(organizationId: string, now: Date): Prisma.FileWhereInput {
  return { organizationId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}
