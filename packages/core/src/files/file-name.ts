import { DomainError } from "../errors/domain-error.ts";

export const MAX_FILENAME_BYTES = 255;

// C0 and C1 controls, line and paragraph separators, the bidirectional controls that make
// "invoice\u202Etxt.exe" display as "invoiceexe.txt", and lone surrogates (not text at all)
const CONTROL = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * The user's name for a file, checked before any byte is stored. It is kept only to be shown
 * and sent back in Content-Disposition; storage never sees it, and these rules keep it from
 * looking like a path or hiding characters when it is displayed.
 */
export function checkFilename(filename: string | undefined): string {
  const refuse = (message: string) => new DomainError("invalid", message, "file", "invalid_filename");
  if (filename === undefined || filename === "") throw refuse("The file part needs a filename.");
  if (filename.includes("/") || filename.includes("\\")) {
    throw refuse("The filename must not contain path separators ('/' or '\\').");
  }
  if (CONTROL.test(filename)) {
    throw refuse("The filename must not contain control characters.");
  }
  if (filename === "." || filename === "..") throw refuse("The filename must name a file.");
  if (Buffer.byteLength(filename, "utf8") > MAX_FILENAME_BYTES) {
    throw refuse(`The filename must be at most ${MAX_FILENAME_BYTES} bytes long (UTF-8).`);
  }
  return filename;
}
