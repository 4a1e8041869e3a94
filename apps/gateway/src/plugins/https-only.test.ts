import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
const closers: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const close of closers) await close();
});

async function gatewayWith(https: { trustProxy?: string[]; allowPlainHttp?: boolean }) {
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
    const gateway = await gatewayWith({ trustProxy: ["loopback"] });
    const plain = await fetch(`${gateway.url}/v1/versions`, { headers: { "x-forwarded-proto": "http" } });
    expect(plain.status).toBe(403);
    expect((await jsonOf(plain)).error).toMatchObject({ code: "https_required" });
    const secure = await fetch(`${gateway.url}/v1/versions`, { headers: { "x-forwarded-proto": "https" } });
    expect(secure.status).toBe(200);
    expect(secure.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const health = await fetch(`${gateway.url}/healthz`, { headers: { "x-forwarded-proto": "http" } });
    expect(health.status).toBe(200);
  });

  it("ignores X-Forwarded-Proto from clients when no proxy is trusted, and does not take them for loopback", async () => {
    const gateway = await gatewayWith({});
    const response = await fetch(`${gateway.url}/v1/versions`, { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.status).toBe(403);
  });

  it.each<[string, string[], Record<string, string>]>([
    [
      "a proxy on loopback that is not trusted relays a remote client",
      [],
      { "x-forwarded-for": "203.0.113.7" },
    ],
    [
      "a proxy on loopback that is not trusted relays a client claiming loopback",
      [],
      { "x-forwarded-for": "127.0.0.1", forwarded: "for=127.0.0.1" },
    ],
    [
      "a trusted proxy on loopback relays a remote client over plain HTTP",
      ["loopback"],
      { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "http" },
    ],
    [
      "a trusted proxy on loopback relays a remote client without saying the protocol",
      ["loopback"],
      { "x-forwarded-for": "203.0.113.7" },
    ],
    [
      "a remote client forges loopback behind a trusted proxy (the proxy appends the real address)",
      ["loopback"],
      { "x-forwarded-for": "127.0.0.1, 203.0.113.7", "x-forwarded-proto": "http" },
    ],
    [
      "a loopback peer that is not among the trusted proxies claims HTTPS",
      ["10.0.0.0/8"],
      { "x-forwarded-for": "127.0.0.1", "x-forwarded-proto": "https" },
    ],
  ])("%s: not loopback, 403 https_required", async (_name, trustProxy, headers) => {
    const gateway = await gatewayWith({ trustProxy });
    const response = await fetch(`${gateway.url}/v1/versions`, { headers });
    expect(response.status).toBe(403);
    expect((await jsonOf(response)).error).toMatchObject({ code: "https_required" });
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("a trusted proxy on loopback relaying a loopback client over plain HTTP: loopback, served", async () => {
    const gateway = await gatewayWith({ trustProxy: ["loopback"] });
    const response = await fetch(`${gateway.url}/v1/versions`, {
      headers: { "x-forwarded-for": "127.0.0.1", "x-forwarded-proto": "http" },
    });
    expect(response.status).toBe(200);
  });

  it("records the first address that is not a trusted proxy as the caller's, never a forged one", async () => {
    const gateway = await gatewayWith({ trustProxy: ["loopback", "10.0.0.0/8"] });
    const direct = await gatewayWith({ allowPlainHttp: true });
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const upload = async (url: string, forwardedFor: string) => {
      const form = new FormData();
      form.append("purpose", "batch");
      form.append("file", new Blob(["x"]), "x.txt");
      const response = await fetch(`${url}/v1/files`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${secret}`,
          "x-forwarded-for": forwardedFor,
          "x-forwarded-proto": "https",
        },
        body: form,
      });
      expect(response.status).toBe(200);
      const { id } = (await response.json()) as { id: string };
      return (await t.db.auditEvent.findFirstOrThrow({ where: { targetId: id } })).origin;
    };
    // client, then a proxy of ours at 10.1.2.3, then the one on loopback
    expect(await upload(gateway.url, "198.51.100.1, 203.0.113.9, 10.1.2.3")).toBe("203.0.113.9");
    // nobody trusted: the header is the client's own claim, and ignored
    expect(await upload(direct.url, "203.0.113.9")).toBe("127.0.0.1");
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
