import { Readable } from "node:stream";
import {
  createAccessTokenOperation,
  createChatCompletionOperation,
  getMetricsOperation,
  listModelsOperation,
  retrieveFileContentOperation,
} from "@dsc/api-client";
import { describe, expect, it } from "vitest";
import { contractProblem } from "./response-contract-check.ts";

const JSON_TYPE = "application/json; charset=utf-8";
const apiError = JSON.stringify({ error: { message: "m", type: "t", param: null, code: null } });

describe("contractProblem", () => {
  it("accepts a declared status with a body its schema accepts", () => {
    const list = JSON.stringify({ object: "list", data: [] });
    expect(contractProblem(listModelsOperation, 200, JSON_TYPE, list)).toBeNull();
    expect(contractProblem(listModelsOperation, 401, JSON_TYPE, apiError)).toBeNull();
  });

  it("names an undeclared status, a body that fails its schema, and a wrong content type", () => {
    expect(contractProblem(listModelsOperation, 404, JSON_TYPE, apiError)).toMatch(
      /status 404 is not declared/,
    );
    expect(contractProblem(listModelsOperation, 200, JSON_TYPE, '{"object":"list"}')).toMatch(/data/);
    expect(contractProblem(listModelsOperation, 200, "text/plain", "hi")).toMatch(/content type/);
    expect(contractProblem(listModelsOperation, 401, JSON_TYPE, '{"error":"x"}')).toMatch(/error/);
  });

  it("checks OAuth's errors against OAuth's shape", () => {
    const oauthError = JSON.stringify({ error: "invalid_client", error_description: "no" });
    expect(contractProblem(createAccessTokenOperation, 401, JSON_TYPE, oauthError)).toBeNull();
    expect(contractProblem(createAccessTokenOperation, 401, JSON_TYPE, apiError)).not.toBeNull();
  });

  it("leaves streams, bytes and text unread, but not JSON where none is declared", () => {
    const stream = Readable.from(["x"]);
    expect(contractProblem(createChatCompletionOperation, 200, "text/event-stream", stream)).toBeNull();
    expect(contractProblem(retrieveFileContentOperation, 200, "image/png", stream)).toBeNull();
    expect(contractProblem(getMetricsOperation, 200, "text/plain; version=0.0.4", "a 1\n")).toBeNull();
    expect(contractProblem(getMetricsOperation, 200, JSON_TYPE, "{}")).toMatch(/JSON body/);
  });
});
