import { describe, expect, it } from "vitest";
import { checkFileStorageEnv, createFileStorageFromEnv, fileStorageEnvSchema } from "./file-storage-env.ts";

const parse = (env: Record<string, string>) => fileStorageEnvSchema.parse(env);

describe("file storage environment", () => {
  it("uses DATA_DIR/files without S3_BUCKET, and S3 with it", async () => {
    const disk = createFileStorageFromEnv(parse({}), "/srv/data");
    expect(disk.kind).toBe("disk");
    const env = parse({
      S3_BUCKET: "files",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_ACCESS_KEY_ID: "id",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_FORCE_PATH_STYLE: "true",
    });
    expect(() => checkFileStorageEnv(env)).not.toThrow();
    const s3 = createFileStorageFromEnv(env, "/srv/data");
    expect(s3.kind).toBe("s3");
    await s3.close();
  });

  it("names the variables that do not fit together", () => {
    expect(() => checkFileStorageEnv(parse({ S3_ENDPOINT: "http://127.0.0.1:9000" }))).toThrow(
      "invalid configuration: S3_BUCKET: required with S3_ENDPOINT",
    );
    expect(() => checkFileStorageEnv(parse({ S3_BUCKET: "b", S3_ACCESS_KEY_ID: "id" }))).toThrow(
      "S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither",
    );
  });

  it("refuses malformed values", () => {
    expect(fileStorageEnvSchema.safeParse({ S3_ENDPOINT: "ftp://x" }).success).toBe(false);
    expect(fileStorageEnvSchema.safeParse({ S3_FORCE_PATH_STYLE: "yes" }).success).toBe(false);
    expect(fileStorageEnvSchema.safeParse({ S3_BUCKET: "" }).success).toBe(false);
  });
});
