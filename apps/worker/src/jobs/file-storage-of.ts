import type { FileStorage } from "@dsc/core";
import type { JobDeps } from "./job-definition.ts";

/** The file jobs' storage; a worker started without one fails these jobs loudly. */
export function fileStorageOf(deps: JobDeps): FileStorage {
  if (!deps.fileStorage) throw new Error("file storage is not configured for this worker");
  return deps.fileStorage;
}
