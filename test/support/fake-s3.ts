import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
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
  close(): Promise<void>;
}

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
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    directory,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
