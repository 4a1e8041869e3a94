import { type FileObject, type FilePurpose, unixSeconds } from "@dsc/api-client";
import type { File } from "@dsc/db";

/** A stored file as OpenAI's file object. */
export function toFileObject(file: File): FileObject {
  return {
    id: file.id,
    object: "file",
    bytes: Number(file.bytes),
    created_at: unixSeconds(file.createdAt),
    expires_at: file.expiresAt ? unixSeconds(file.expiresAt) : null,
    filename: file.filename,
    purpose: file.purpose as FilePurpose,
    status: file.status === "PROCESSED" ? "processed" : file.status === "ERROR" ? "error" : "uploaded",
  };
}
