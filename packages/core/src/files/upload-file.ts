import { FileCreateFieldsSchema } from "@dsc/api-client";
import type { File } from "@dsc/db";
import type { z } from "zod";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { isErasedSinceIn } from "../chat-logs/erasure-tombstones.ts";
import { DomainError, isDomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { FileDeps } from "./file-deps.ts";
import { checkFilename } from "./file-name.ts";
import type { StoredBytes } from "./file-storage.ts";
import { holdStorageQuota, storageQuotaExceeded, storedFileBytes } from "./storage-quota.ts";

/** One part of a multipart form, in the order the client sent them. */
export type UploadPart =
  | { kind: "field"; name: string; value: string }
  | {
      kind: "file";
      name: string;
      filename: string | undefined;
      contentType: string;
      /** must be read to its end (or abandoned) before the next part arrives */
      content: AsyncIterable<Uint8Array>;
    };

export interface UploadFileInput {
  organizationId: string;
  /** the API key that uploads, when the caller is one */
  apiKeyId: string | null;
  actor: Actor;
  parts: AsyncIterable<UploadPart>;
}

const DAY_MS = 86_400_000;
const FIELDS = new Set(Object.keys(FileCreateFieldsSchema.shape));

/**
 * Stores an uploaded file: the bytes stream to storage under a new id (counted, hashed and
 * held to the plan's maximum size on the way), then the record is written. Fields may come
 * before or after the file, as the SDKs send them in either order; ones that come first are
 * checked before any byte is stored. Any failure after the bytes are stored removes them, so
 * a refused or abandoned upload leaves neither a record nor bytes (a crash in between leaves
 * bytes without a record, which the orphan sweeper removes).
 *
 * A plan with a storage quota bounds the organization's live files together: the stream stops
 * once it passes what the quota has left when the file begins, and the record is written only
 * if the quota still holds it at that moment (see storage-quota.ts), so concurrent uploads
 * that each fit but not together cannot all be kept.
 */
export async function uploadFile(deps: FileDeps, input: UploadFileInput): Promise<File> {
  const startedAt = deps.clock.now();
  const org = await deps.db.organization.findUnique({
    where: { id: input.organizationId },
    select: {
      fileRetentionDays: true,
      tier: { select: { maxFileBytes: true, maxStorageBytes: true, fileRetentionDays: true } },
    },
  });
  if (!org) throw new DomainError("not_found", "The organization does not exist.");
  const quota = org.tier.maxStorageBytes === null ? null : Number(org.tier.maxStorageBytes);

  const fields: Record<string, string> = {};
  let stored: { key: string; filename: string; contentType: string; bytes: number; sha256: string } | null =
    null;
  try {
    for await (const part of input.parts) {
      if (part.kind === "field") {
        if (part.name === "file") {
          throw new DomainError(
            "invalid",
            "'file' must be a file part (with a filename), not a text field.",
            "file",
            "invalid_value",
          );
        }
        // unknown fields are ignored, as OpenAI does, so newer clients keep working
        if (!FIELDS.has(part.name)) continue;
        if (part.name in fields) {
          throw new DomainError(
            "invalid",
            `'${part.name}' was sent more than once.`,
            part.name,
            "invalid_value",
          );
        }
        fields[part.name] = part.value;
        checkField(part.name, part.value);
        continue;
      }
      if (part.name !== "file") {
        throw new DomainError(
          "invalid",
          `Unexpected file part '${part.name.slice(0, 64)}'; send the file as 'file'.`,
          part.name.slice(0, 64),
          "invalid_value",
        );
      }
      if (stored) throw new DomainError("invalid", "Send one file per request.", "file", "invalid_value");
      const filename = checkFilename(part.filename);
      const key = newId("file");
      const result = await putWithinQuota(deps, {
        organizationId: input.organizationId,
        key,
        content: part.content,
        maxFileBytes: Number(org.tier.maxFileBytes),
        quota,
      });
      stored = { key, filename, contentType: normalizeContentType(part.contentType), ...result };
      if (result.bytes === 0) throw new DomainError("invalid", "The file is empty.", "file", "empty_file");
    }
    if (!stored) {
      throw new DomainError(
        "invalid",
        "Missing required parameter: 'file'.",
        "file",
        "missing_required_parameter",
      );
    }
    const parsed = parseFields(fields);
    const createdAt = deps.clock.now();
    const expiresAt = fileExpiry(createdAt, org, parsed["expires_after[seconds]"]);
    const upload = stored;
    const endUserId = parsed.user || null;
    return await deps.db.$transaction(async (tx) => {
      await refuseIfErasedSince(tx, { organizationId: input.organizationId, endUserId }, startedAt);
      if (quota !== null) await holdStorageQuota(tx, input.organizationId, createdAt, quota, upload.bytes);
      const file = await tx.file.create({
        data: {
          id: upload.key,
          organizationId: input.organizationId,
          apiKeyId: input.apiKeyId,
          filename: upload.filename,
          purpose: parsed.purpose,
          endUserId,
          bytes: BigInt(upload.bytes),
          contentType: upload.contentType,
          sha256: upload.sha256,
          storageKey: upload.key,
          status: "PROCESSED",
          createdAt,
          expiresAt,
        },
      });
      await recordAuditEvent(tx, deps.clock, {
        actor: input.actor,
        action: "file.upload",
        target: { type: "file", id: file.id },
        organizationId: input.organizationId,
        metadata: { bytes: upload.bytes, purpose: parsed.purpose, sha256: upload.sha256 },
      });
      return file;
    });
  } catch (error) {
    // best effort; what a failure here leaves behind is an orphan the sweeper removes
    if (stored) await deps.storage.delete(stored.key).catch(() => {});
    throw error;
  }
}

/**
 * An upload is what an erasure of its end user (or organization) removes when it began before
 * the erasure started: written after the erasure's file step, the record would outlive it,
 * naming the end user. It is refused instead; uploaded again, it is new data and kept. (A
 * tombstone that commits between this check and the record's commit is not seen: that window
 * is one statement long, where the upload's was the whole transfer.)
 */
async function refuseIfErasedSince(
  tx: Parameters<typeof isErasedSinceIn>[0],
  subject: { organizationId: string; endUserId: string | null },
  startedAt: Date,
) {
  if (!(await isErasedSinceIn(tx, subject, startedAt))) return;
  throw new DomainError(
    "conflict",
    "An erasure of this file's end user or organization started while it was uploading, so it was not kept; upload it again.",
    subject.endUserId === null ? null : "user",
    "erased_during_upload",
  );
}

/**
 * Streams the file to storage, stopped at the plan's file size or at what the storage quota has
 * left, whichever comes first; with no room left at all, before a byte is read.
 */
async function putWithinQuota(
  deps: FileDeps,
  input: {
    organizationId: string;
    key: string;
    content: AsyncIterable<Uint8Array>;
    maxFileBytes: number;
    quota: number | null;
  },
): Promise<StoredBytes> {
  const { quota, maxFileBytes } = input;
  if (quota === null) return deps.storage.put(input.key, input.content, { maxBytes: maxFileBytes });
  const left = quota - (await storedFileBytes(deps.db, input.organizationId, deps.clock.now()));
  if (left <= 0) throw storageQuotaExceeded(quota);
  const maxBytes = Math.min(maxFileBytes, left);
  try {
    return await deps.storage.put(input.key, input.content, { maxBytes });
  } catch (error) {
    const stoppedByQuota =
      maxBytes < maxFileBytes && isDomainError(error) && error.code === "payload_too_large";
    throw stoppedByQuota ? storageQuotaExceeded(quota) : error;
  }
}

/** A field that arrives before the file is checked at once, so a bad one costs no upload. */
function checkField(name: string, value: string) {
  const shape = FileCreateFieldsSchema.shape as Record<string, z.ZodType>;
  const result = shape[name]?.safeParse(value);
  if (result && !result.success) throw invalidField(name, { [name]: value }, result.error.issues[0]?.message);
}

function parseFields(fields: Record<string, string>) {
  const result = FileCreateFieldsSchema.safeParse(fields);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidField(String(issue?.path[0] ?? ""), fields, issue?.message);
  }
  const hasAnchor = result.data["expires_after[anchor]"] !== undefined;
  const hasSeconds = result.data["expires_after[seconds]"] !== undefined;
  if (hasAnchor !== hasSeconds) {
    throw invalidField(hasAnchor ? "expires_after[seconds]" : "expires_after[anchor]", fields);
  }
  return result.data;
}

function invalidField(param: string, fields: Record<string, string>, message = "invalid") {
  if (fields[param] === undefined) {
    return new DomainError(
      "invalid",
      `Missing required parameter: '${param}'.`,
      param,
      "missing_required_parameter",
    );
  }
  return new DomainError("invalid", `Invalid value for '${param}': ${message}.`, param, "invalid_value");
}

/**
 * When the file expires: after the requested seconds, else after the organization's file
 * retention (its own setting when shorter than its tier's, else the tier's: 7 days as seeded).
 * An organization's own setting is a ceiling for requests too; the tier's is only a default.
 */
export function fileExpiry(
  createdAt: Date,
  org: { fileRetentionDays: number | null; tier: { fileRetentionDays: number } },
  requestedSeconds: number | undefined,
): Date {
  const retentionDays = Math.min(
    org.fileRetentionDays ?? Number.POSITIVE_INFINITY,
    org.tier.fileRetentionDays,
  );
  let lifetimeMs = requestedSeconds === undefined ? retentionDays * DAY_MS : requestedSeconds * 1000;
  if (org.fileRetentionDays !== null) lifetimeMs = Math.min(lifetimeMs, org.fileRetentionDays * DAY_MS);
  return new Date(createdAt.getTime() + lifetimeMs);
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The part's media type without parameters, if it is a well-formed one. */
export function normalizeContentType(raw: string | undefined): string {
  const type = (raw ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return MIME.test(type) ? type : "application/octet-stream";
}
