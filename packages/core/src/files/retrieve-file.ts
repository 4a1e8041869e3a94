import type { File } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import { type FileDeps, liveFilesWhere } from "./file-deps.ts";

/** The organization's file; another organization's id, or an expired file, is not found. */
export async function retrieveFile(
  deps: Pick<FileDeps, "db" | "clock">,
  input: { organizationId: string; fileId: string },
): Promise<File> {
  const file = await deps.db.file.findFirst({
    where: { id: input.fileId, ...liveFilesWhere(input.organizationId, deps.clock.now()) },
  });
  if (!file) throw fileNotFound(input.fileId);
  return file;
}

export function fileNotFound(fileId: string): DomainError {
  return new DomainError("not_found", `No such file: '${fileId.slice(0, 64)}'.`, "file_id", "file_not_found");
}
