import { describe, expect, it } from "vitest";
import { FileCreateFieldsSchema, FileListQuerySchema, FileObjectSchema } from "./files.ts";
import { buildOpenApiDocument } from "./openapi.ts";

describe("file upload fields", () => {
  it("take OpenAI's purposes and an expiry of 1 hour to 30 days, sent as form text", () => {
    expect(FileCreateFieldsSchema.parse({ purpose: "fine-tune" })).toEqual({ purpose: "fine-tune" });
    expect(
      FileCreateFieldsSchema.parse({
        purpose: "batch",
        "expires_after[anchor]": "created_at",
        "expires_after[seconds]": "2592000",
      }),
    ).toMatchObject({ "expires_after[seconds]": 2_592_000 });
    for (const seconds of ["3599", "2592001", "1.5", "", "soon"]) {
      expect(
        FileCreateFieldsSchema.safeParse({ purpose: "batch", "expires_after[seconds]": seconds }).success,
      ).toBe(false);
    }
    expect(FileCreateFieldsSchema.safeParse({ purpose: "batch_output" }).success).toBe(false);
    expect(
      FileCreateFieldsSchema.safeParse({ purpose: "batch", "expires_after[anchor]": "now" }).success,
    ).toBe(false);
  });
});

describe("file list query", () => {
  it("reads limit from text, 1 to 10000", () => {
    expect(FileListQuerySchema.parse({ limit: "10000", order: "asc" })).toEqual({
      limit: 10_000,
      order: "asc",
    });
    for (const limit of ["0", "10001", "ten"])
      expect(FileListQuerySchema.safeParse({ limit }).success).toBe(false);
  });
});

describe("the Files API in the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("takes the upload as multipart/form-data with a binary file and documents the list query", () => {
    const create = document.paths["/v1/files"]?.post;
    expect(create?.requestBody).toEqual({
      required: true,
      content: { "multipart/form-data": { schema: { $ref: "#/components/schemas/FileCreateRequest" } } },
    });
    expect(document.components.schemas.FileCreateRequest).toMatchObject({
      required: ["file", "purpose"],
      properties: {
        file: { type: "string", format: "binary" },
        purpose: { $ref: "#/components/schemas/FilePurpose" },
        "expires_after[seconds]": { type: "integer", minimum: 3600, maximum: 2_592_000 },
      },
    });
    const list = document.paths["/v1/files"]?.get;
    expect(list?.parameters?.map((parameter) => parameter.name ?? parameter.$ref)).toEqual([
      "purpose",
      "limit",
      "after",
      "order",
      "#/components/parameters/ApiVersion",
    ]);
    expect(list?.parameters?.[1]).toMatchObject({
      in: "query",
      required: false,
      schema: { maximum: 10_000 },
    });
  });

  it("answers file objects and streams content as octet-stream", () => {
    const content = document.paths["/v1/files/{file_id}/content"]?.get;
    expect(Object.keys(content?.responses[200]?.content as object)).toEqual(["application/octet-stream"]);
    expect(document.paths["/v1/files/{file_id}"]?.delete?.responses[200]).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/FileDeleted" } } },
    });
    expect(
      FileObjectSchema.safeParse({
        id: "file-abc",
        object: "file",
        bytes: 3,
        created_at: 1,
        expires_at: null,
        filename: "a.txt",
        purpose: "vision",
        status: "processed",
      }).success,
    ).toBe(true);
  });
});
