import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { ByteMeter } from "./byte-meter.ts";
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
  /** bytes per multipart part (default 8 MiB; S3 wants at least 5 MiB for all but the last) */
  partSize?: number;
  /** parts in flight at once (default 2); memory is about (partsInFlight + 1) × partSize */
  partsInFlight?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const LIST_PAGE = 1000;

/**
 * Objects in an S3-compatible bucket. The length of an upload is unknown until its last byte
 * (a multipart form does not say), so an upload that fits in one part is a single PutObject
 * with a known length and a larger one is a multipart upload, its parts sent while the next
 * one fills. Either way the object appears only when complete; on failure the multipart
 * upload is aborted (best effort: a crash leaves it to the bucket's lifecycle rule).
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
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const partsInFlight = Math.max(1, options.partsInFlight ?? 2);
  const objectKey = (key: string) => {
    assertStorageKey(key);
    return `${prefix}${key}`;
  };

  return {
    kind: "s3",

    async put(key, content, { maxBytes }) {
      const Key = objectKey(key);
      const meter = new ByteMeter(maxBytes);
      const upload = new PartUploader(client, Bucket, Key, partsInFlight);
      // part buffers are recycled once their request is done: memory stays at
      // (partsInFlight + 1) × partSize however large the file, without waiting for the GC
      const spare: Buffer[] = [];
      const takeBuffer = () => spare.pop() ?? Buffer.allocUnsafe(partSize);
      let part = takeBuffer();
      let filled = 0;
      try {
        for await (const chunk of content) {
          meter.add(chunk);
          let offset = 0;
          while (offset < chunk.byteLength) {
            const taken = Math.min(partSize - filled, chunk.byteLength - offset);
            part.set(chunk.subarray(offset, offset + taken), filled);
            filled += taken;
            offset += taken;
            if (filled === partSize) {
              const full = part;
              await upload.sendPart(full, () => spare.push(full));
              part = takeBuffer();
              filled = 0;
            }
          }
        }
        if (upload.isMultipart) {
          if (filled > 0) await upload.sendPart(part.subarray(0, filled), () => {});
          await upload.complete();
        } else {
          const Body = part.subarray(0, filled);
          await client.send(new PutObjectCommand({ Bucket, Key, Body, ContentLength: filled }));
        }
        return meter.result();
      } catch (error) {
        await upload.abort();
        throw error;
      }
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

/** One multipart upload, started lazily when the first full part is ready. */
class PartUploader {
  #uploadId: string | null = null;
  #parts: { PartNumber: number; ETag: string }[] = [];
  #partCount = 0;
  #inFlight = new Set<Promise<void>>();
  #failure: unknown = null;
  readonly #abort = new AbortController();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly maxInFlight: number,
  ) {}

  get isMultipart(): boolean {
    return this.#uploadId !== null;
  }

  /**
   * Starts sending `body` as the next part and waits while too many parts are in flight;
   * `release` is called once the part is stored and its buffer may be reused.
   */
  async sendPart(body: Buffer, release: () => void): Promise<void> {
    this.#throwIfFailed();
    if (!this.#uploadId) {
      const created = await this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key }),
        { abortSignal: this.#abort.signal },
      );
      if (!created.UploadId) throw new Error("S3 did not return an upload id");
      this.#uploadId = created.UploadId;
    }
    this.#partCount += 1;
    const PartNumber = this.#partCount;
    const sending: Promise<void> = this.client
      .send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.#uploadId,
          PartNumber,
          Body: body,
          ContentLength: body.byteLength,
        }),
        { abortSignal: this.#abort.signal },
      )
      .then((result) => {
        if (!result.ETag) throw new Error(`S3 returned no ETag for part ${PartNumber}`);
        this.#parts.push({ PartNumber, ETag: result.ETag });
        // done with the buffer; after a failure it is not reused (the upload fails anyway)
        release();
      })
      .catch((error: unknown) => {
        // kept, not thrown: nobody may be awaiting this part right now
        this.#failure ??= error;
      })
      .finally(() => this.#inFlight.delete(sending));
    this.#inFlight.add(sending);
    while (this.#inFlight.size >= this.maxInFlight) await Promise.race(this.#inFlight);
    this.#throwIfFailed();
  }

  async complete(): Promise<void> {
    await Promise.all(this.#inFlight);
    this.#throwIfFailed();
    const Parts = [...this.#parts].sort((a, b) => a.PartNumber - b.PartNumber);
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.#uploadId ?? undefined,
        MultipartUpload: { Parts },
      }),
    );
    this.#uploadId = null;
  }

  /** Stops the parts in flight and discards the upload; never throws (the first error wins). */
  async abort(): Promise<void> {
    this.#abort.abort();
    await Promise.allSettled(this.#inFlight);
    if (!this.#uploadId) return;
    const UploadId = this.#uploadId;
    this.#uploadId = null;
    await this.client
      .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId }))
      .catch(() => {});
  }

  #throwIfFailed() {
    if (this.#failure) throw this.#failure;
  }
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NoSuchKey" || name === "NotFound" || $metadata?.httpStatusCode === 404;
}
