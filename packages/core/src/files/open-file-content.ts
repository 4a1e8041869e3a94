import type { Readable } from "node:stream";
import type { File } from "@dsc/db";
import type { FileDeps } from "./file-deps.ts";
import { fileNotFound, retrieveFile } from "./retrieve-file.ts";

/**
 * The file's record and a stream of its bytes. The caller must consume or destroy the stream.
 * A record whose bytes are gone (the sweeper will remove it) is not found, like an expired one.
 */
export async function openFileContent(
  deps: FileDeps,
  input: { organizationId: string; fileId: string },
): Promise<{ file: File; stream: Readable; bytes: number }> {
  const file = await retrieveFile(deps, input);
  const content = await deps.storage.get(file.storageKey);
  if (!content) throw fileNotFound(input.fileId);
  return { file, ...content };
}
