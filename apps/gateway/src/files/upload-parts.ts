import type { Readable } from "node:stream";
import { DomainError, isDomainError, type UploadPart } from "@dsc/core";
import type { FastifyRequest } from "fastify";

/** Limits of the form around the file; the file's own size is the tier's, enforced in core. */
export const MULTIPART_OPTIONS = {
  // the raw filename, so that "../x" is refused rather than quietly shortened to "x"
  preservePath: true,
  // larger reads from the parser mean fewer, larger writes to storage
  fileHwm: 256 * 1024,
  limits: {
    fieldNameSize: 100,
    fieldSize: 1024,
    fields: 16,
    files: 1,
    parts: 32,
    headerPairs: 32,
    fileSize: Number.MAX_SAFE_INTEGER,
  },
};

/**
 * The request's multipart form as core's `UploadPart`s, in order and streaming. The parser's
 * failures (a malformed body, a client that hangs up, too many parts) become domain errors
 * here, where they are known to come from the request rather than from storage.
 */
export async function* uploadParts(request: FastifyRequest): AsyncIterable<UploadPart> {
  try {
    for await (const part of request.parts()) {
      // RFC 7578 names every part; without a name a part cannot be the file or any field
      if (typeof part.fieldname !== "string" || part.fieldname === "") {
        throw new DomainError("invalid", "Every part of the form needs a name.", null, "invalid_multipart");
      }
      if (part.type === "file") {
        yield {
          kind: "file",
          name: part.fieldname,
          filename: part.filename,
          contentType: part.mimetype,
          content: fileContent(part.file),
        };
        continue;
      }
      if (part.valueTruncated || part.fieldnameTruncated) {
        const name = part.fieldname.slice(0, 64);
        throw new DomainError("invalid", `The form field '${name}' is too long.`, name, "invalid_value");
      }
      const value = typeof part.value === "string" ? part.value : JSON.stringify(part.value);
      yield { kind: "field", name: part.fieldname, value };
    }
  } catch (error) {
    throw asUploadError(error);
  }
}

async function* fileContent(stream: Readable): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw asUploadError(error);
  }
}

function asUploadError(error: unknown): unknown {
  if (isDomainError(error)) return error;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "FST_MP_PREMATURE_CLOSE":
    case "ECONNRESET":
      return new DomainError(
        "invalid",
        "The upload ended before the form was complete.",
        "file",
        "upload_incomplete",
      );
    case "FST_FILES_LIMIT":
      return new DomainError("invalid", "Send one file per request.", "file", "invalid_value");
    case "FST_FIELDS_LIMIT":
    case "FST_PARTS_LIMIT":
      return new DomainError("invalid", "The form has too many fields.", null, "invalid_multipart");
    case "FST_PROTO_VIOLATION":
    case "FST_INVALID_JSON_FIELD_ERROR":
      return new DomainError("invalid", "The form has an invalid field.", null, "invalid_multipart");
    case undefined:
      // the parser's own errors carry no code; their messages describe the body, not us
      if (error instanceof Error) {
        return new DomainError(
          "invalid",
          `The multipart body is malformed: ${error.message.slice(0, 100)}.`,
          null,
          "invalid_multipart",
        );
      }
      return error;
    default:
      return error;
  }
}
