import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createByteMeter } from "./byte-meter.ts";
import { assertStorageKey, type FileStorage, isStorageKey, type StoredObject } from "./file-storage.ts";

export interface S3FileStorageOptions {
  bucket: string;
  /** e.g. `https://s3.eu-central-1.amazonaws.com` or a MinIO URL; unset → AWS for the region */
  endpoint: string | null;
  region: string;
  /** unset → the AWS SDK's default credential chain (environment, profile, instance role) */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** `bucket` in the path instead of the host name; most self-hosted servers need it */
  forcePathStyle: boolean;
  /** objects live under this prefix, so the bucket can hold other things (default `files/`) */
  prefix?: string;
  /** bytes per multipart part (default and minimum 5 MiB, S3's smallest part but the last) */
  partSize?: number;
  /** parts in flight at once (default 2); memory is about (partsInFlight + 1) × partSize */
  partsInFlight?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const LIST_PAGE = 1000;

/**
 * Objects in an S3-compatible bucket, uploaded with the SDK's `Upload` (lib-storage). The
 * length of an upload is unknown until its last byte (a multipart form does not say), so
 * `Upload` gathers the stream's chunks as they arrive: an upload that ends within one part is a
 * single PutObject, a larger one a multipart upload whose parts are sent while the next one
 * fills. Nothing is allocated ahead of the data, so a thousand small uploads cost their bytes,
 * not a thousand part buffers, and a large one holds at most (partsInFlight + 1) parts: the
 * source is read only as parts go out. The object appears only when complete; on failure the
 * multipart upload is aborted (best effort: a crash, or an abort that fails, leaves it to the
 * bucket's AbortIncompleteMultipartUpload lifecycle rule).
 */
export function createS3FileStorage(options: S3FileStorageOptions): FileStorage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle,
    // Flexible checksums (CRC32 headers and trailers) are an AWS extension many S3-compatible
    // servers reject; every body here is a buffer of known length and we hash it ourselves.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = options.bucket;
  const prefix = options.prefix ?? "files/";
  const partSize = options.partSize ?? MIN_PART_SIZE;
  if (partSize < MIN_PART_SIZE) throw new Error(`S3 parts are at least ${MIN_PART_SIZE} bytes`);
  const partsInFlight = Math.max(1, options.partsInFlight ?? 2);
  const objectKey = (key: string) => {
    assertStorageKey(key);
    return `${prefix}${key}`;
  };

  return {
    kind: "s3",

    async put(key, content, { maxBytes }) {
      const Key = objectKey(key);
      const meter = createByteMeter(maxBytes);
      // the source's own failure (too large, the client gone) is the one to report, even when
      // the abort that follows it fails too
      let sourceError: unknown = null;
      async function* metered() {
        try {
          for await (const chunk of content) {
            meter.add(chunk);
            yield chunk;
          }
        } catch (error) {
          sourceError = error;
          throw error;
        }
      }
      const upload = new Upload({
        client,
        // one chunk of read-ahead: the parts, not the stream, hold the upload's memory
        params: { Bucket, Key, Body: Readable.from(metered(), { highWaterMark: 1 }) },
        partSize,
        queueSize: partsInFlight,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        throw sourceError ?? error;
      }
      return meter.result();
    },

    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
        return { stream: object.Body as Readable, bytes: object.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async head(key) {
      try {
        const object = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        return { bytes: object.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },

    async *list(): AsyncIterable<StoredObject> {
      // ListObjects (v1) with a marker: every S3-compatible server has it, while v2's
      // continuation tokens are missing or broken on some test servers.
      let Marker: string | undefined;
      for (;;) {
        const page = await client.send(
          new ListObjectsCommand({ Bucket, Prefix: prefix, MaxKeys: LIST_PAGE, Marker }),
        );
        const contents = page.Contents ?? [];
        for (const object of contents) {
          const key = object.Key?.slice(prefix.length) ?? "";
          if (isStorageKey(key)) yield { key, modifiedAt: object.LastModified ?? new Date(0) };
        }
        const last = page.NextMarker ?? contents.at(-1)?.Key;
        if (!page.IsTruncated || !last) return;
        Marker = last;
      }
    },

    async removeAbandonedUploads() {
      // Incomplete multipart uploads are invisible to readers; an AbortIncompleteMultipartUpload
      // lifecycle rule on the bucket removes the ones a crash left behind.
      return 0;
    },

    async close() {
      client.destroy();
    },
  };
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NoSuchKey" || name === "NotFound" || $metadata?.httpStatusCode === 404;
}
