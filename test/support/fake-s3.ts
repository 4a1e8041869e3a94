import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/** A request as s3rver's Koa application sees it (only what is used here). */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  /** Koa's middleware list, composed when the server starts listening */
  middleware: KoaMiddleware[];
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverServer;

const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;

export interface FakeS3 {
  endpoint: string;
  bucket: string;
  /** where the server keeps its objects (a temporary directory, removed on close) */
  directory: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** multipart uploads begun and neither completed nor aborted */
  pendingUploads(): Promise<number>;
  /** parts of multipart uploads stored so far (UploadPart requests answered 200) */
  readonly partsStored: number;
  close(): Promise<void>;
}

/** Where s3rver keeps the parts of the bucket's unfinished multipart uploads, one folder each. */
const uploadsDirectory = (directory: string, bucket: string) =>
  path.join(directory, bucket, "._S3rver_uploads");

/**
 * A real S3-compatible HTTP server (s3rver) on a loopback port with one bucket, storing
 * objects under a temporary directory. It checks request signatures with its fixed
 * credentials, so a client must sign requests as it would for S3.
 */
export async function startFakeS3(options: { bucket?: string } = {}): Promise<FakeS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "dsc-fake-s3-"));
  const bucket = options.bucket ?? "dsc-files";
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  let partsStored = 0;
  // s3rver 3 has no AbortMultipartUpload (it answers 405), so aborted uploads would look like
  // leaks; this answers it as S3 does, before s3rver's router (the last middleware) sees it.
  // It skips the signature check: only the test's own client talks to this server.
  const multipartExtras: KoaMiddleware = async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    const isUpload = typeof uploadId === "string" && /^[A-Za-z0-9_-]+$/.test(uploadId);
    if (isUpload && ctx.method === "DELETE" && ctx.path.startsWith(`/${bucket}/`)) {
      await rm(path.join(uploadsDirectory(directory, bucket), uploadId), { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
      return;
    }
    await next();
    if (isUpload && ctx.method === "PUT" && ctx.query.partNumber && ctx.status === 200) partsStored += 1;
  };
  server.middleware.splice(server.middleware.length - 1, 0, multipartExtras);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    directory,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    get partsStored() {
      return partsStored;
    },
    async pendingUploads() {
      const entries = await readdir(uploadsDirectory(directory, bucket)).catch(() => []);
      return entries.length;
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
