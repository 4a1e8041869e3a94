import path from "node:path";
import { z } from "zod";
import { createDiskFileStorage } from "./disk-file-storage.ts";
import type { FileStorage } from "./file-storage.ts";
import { createS3FileStorage } from "./s3-file-storage.ts";

/**
 * The file-storage part of an app's environment. Without `S3_BUCKET` files go to
 * `DATA_DIR/files`; with it, to that bucket.
 */
export const fileStorageEnvSchema = z.object({
  S3_BUCKET: z.string().min(1).optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_REGION: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
});
export type FileStorageEnv = z.infer<typeof fileStorageEnvSchema>;

/** The rules one variable cannot state alone; the message names the variables, as parsing does. */
export function checkFileStorageEnv(env: FileStorageEnv): void {
  const problems: string[] = [];
  const others = (["S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const).filter(
    (name) => env[name] !== undefined,
  );
  if (!env.S3_BUCKET && (others.length > 0 || env.S3_FORCE_PATH_STYLE)) {
    problems.push(`S3_BUCKET: required with ${others.join(", ") || "S3_FORCE_PATH_STYLE"}`);
  }
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    problems.push("S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither");
  }
  if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join("; ")}`);
}

/** The storage the environment asks for (call `checkFileStorageEnv` when parsing it). */
export function createFileStorageFromEnv(env: FileStorageEnv, dataDir: string): FileStorage {
  if (!env.S3_BUCKET) return createDiskFileStorage({ directory: path.join(dataDir, "files") });
  return createS3FileStorage({
    bucket: env.S3_BUCKET,
    endpoint: env.S3_ENDPOINT ?? null,
    region: env.S3_REGION ?? "us-east-1",
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : null,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  });
}
