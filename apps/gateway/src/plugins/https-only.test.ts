import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
const closers: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const close of closers) await close();
});

async function gatewayWith(https: { trustProxy?: boolean; allowPlainHttp?: boolean }) {
  const gateway = await startTestGateway({ db: t.db, gateway: { https } });
  closers.push(gateway.close);
  return gateway;
}

describe("HTTPS", () => {
  it("accepts plain HTTP from loopback for development, without HSTS", async () => {
    const gateway = await gatewayWith({});
    const response = await fetch(`${gateway.url}/v1/versions`);
    expect(response.status).toBe(200);
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("behind a trusted proxy, refuses requests that arrived as plain HTTP with 403 https_required", async () => {
    const gateway = await gatewayWith({ trustProxy: true });
    const plain = await fetch(`${gateway.url}/v1/versions`, { headers: { "x-forwarded-proto": "http" } });
    expect(plain.status).toBe(403);
    expect((await jsonOf(plain)).error).toMatchObject({ code: "https_required" });
    const secure = await fetch(`${gateway.url}/v1/versions`, { headers: { "x-forwarded-proto": "https" } });
    expect(secure.status).toBe(200);
    expect(secure.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const health = await fetch(`${gateway.url}/healthz`, { headers: { "x-forwarded-proto": "http" } });
    expect(health.status).toBe(200);
  });

  it("ignores X-Forwarded-Proto from clients when no proxy is trusted", async () => {
    const gateway = await gatewayWith({});
    const response = await fetch(`${gateway.url}/v1/versions`, { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("serves native TLS with HSTS when given a certificate", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dsc-tls-"));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const [cert, key] = [path.join(dir, "cert.pem"), path.join(dir, "key.pem")];
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "ignore" },
    );
    const gateway = await startTestGateway({
      db: t.db,
      gateway: { tls: { cert: readFileSync(cert), key: readFileSync(key) } },
    });
    closers.push(gateway.close);
    const url = gateway.url.replace("http://", "https://");
    const dispatcher = new Agent({ connect: { ca: readFileSync(cert) } });
    closers.push(() => dispatcher.close());
    const response = await undiciFetch(`${url}/v1/versions`, { dispatcher });
    expect(response.status).toBe(200);
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });
});
