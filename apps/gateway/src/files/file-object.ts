import type { FileObject, FilePurpose } from "@dsc/api-client";
import type { File } from "@dsc/db";

/** A stored file as OpenAI's file object. */
export function toFileObject(file: File): FileObject {
  return {
    id: file.id,
    object: "file",
    bytes: Number(file.bytes),
    created_at: Math.floor(file.createdAt.getTime() / 1000),
    expires_at: file.expiresAt ? Math.floor(file.expiresAt.getTime() / 1000) : null,
    filename: file.filename,
    purpose: file.purpose as FilePurpose,
    status: file.status === "PROCESSED" ? "processed" : file.status === "ERROR" ? "error" : "uploaded",
  };
}
