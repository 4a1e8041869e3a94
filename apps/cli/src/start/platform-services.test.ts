import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCliEnv } from "../env.ts";
import { loadMetricsToken, platformServices } from "./platform-services.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dsc-metrics-token-"));
  dirs.push(dir);
  return dir;
}

function services(overrides: Record<string, string> = {}, inherited: NodeJS.ProcessEnv = {}) {
  const env = parseCliEnv({ DATA_DIR: "/srv/dsc", GATEWAY_PORT: "18080", WEB_PORT: "13000", ...overrides });
  const specs = platformServices({
    env,
    inherited,
    root: "/repo",
    databaseUrl: "postgresql://127.0.0.1:5432/dsc",
    metricsToken: "t".repeat(43),
    execPath: "/usr/bin/node",
    watchParent: "file:///repo/apps/cli/dist/watch-parent.js",
    forwardedHeaders: "file:///repo/apps/cli/dist/forwarded-headers.js",
    nextBin: "/repo/node_modules/next/dist/bin/next",
  });
  const byName = (name: string) => {
    const spec = specs.find((candidate) => candidate.name === name);
    if (!spec) throw new Error(`no ${name} service`);
    return spec;
  };
  return { gateway: byName("gateway"), worker: byName("worker"), dashboard: byName("dashboard") };
}

describe("npm start's services", () => {
  it("give the gateway, the worker and the dashboard the same metrics token, and the dashboard the gateway's address", () => {
    const { gateway, worker, dashboard } = services();
    expect(gateway.env.METRICS_TOKEN).toBe("t".repeat(43));
    expect(dashboard.env.METRICS_TOKEN).toBe(gateway.env.METRICS_TOKEN);
    expect(worker.env.METRICS_TOKEN).toBe(gateway.env.METRICS_TOKEN);
    // no worker /metrics unless the operator asks for one (a fixed default port would collide)
    expect(worker.env).not.toHaveProperty("WORKER_METRICS_PORT");
    expect(worker.env.WORKER_METRICS_HOST).toBeUndefined();
    expect(dashboard.env.GATEWAY_URL).toBe("http://127.0.0.1:18080");
    expect(gateway.readyUrl).toBe(`${dashboard.env.GATEWAY_URL}/readyz`);
    // the address people are shown stays the public one
    expect(dashboard.env.GATEWAY_PUBLIC_URL).toBe("http://localhost:18080");
    expect(worker.env.GATEWAY_URL).toBeUndefined();
  });

  it("keep what they inherit and share the database, with the supervisor's metrics token over an inherited one", () => {
    const { gateway, worker, dashboard } = services(
      { GATEWAY_PUBLIC_URL: "https://api.example.com" },
      { PATH: "/usr/bin", METRICS_TOKEN: "inherited" },
    );
    for (const spec of [gateway, worker, dashboard]) {
      expect(spec.env.PATH).toBe("/usr/bin");
      expect(spec.env.DATABASE_URL).toBe("postgresql://127.0.0.1:5432/dsc");
      expect(spec.env.DATA_DIR).toBe(path.resolve("/srv/dsc"));
    }
    expect(dashboard.env.METRICS_TOKEN).toBe("t".repeat(43));
    expect(worker.env.METRICS_TOKEN).toBe("t".repeat(43));
    expect(dashboard.env.GATEWAY_PUBLIC_URL).toBe("https://api.example.com");
    expect(dashboard.env.GATEWAY_URL).toBe("http://127.0.0.1:18080");
  });
});

describe("npm start's worker metrics", () => {
  it("are served on WORKER_METRICS_PORT when set, and refused below port 1", () => {
    expect(services({ WORKER_METRICS_PORT: "19464" }).worker.env.WORKER_METRICS_PORT).toBe("19464");
    expect(() => parseCliEnv({ WORKER_METRICS_PORT: "0" })).toThrow(/WORKER_METRICS_PORT/);
  });

  it("are off when unset, so that two platforms on one machine both start", () => {
    const first = services({ GATEWAY_PORT: "18080", WEB_PORT: "13000" });
    const second = services({ GATEWAY_PORT: "18081", WEB_PORT: "13001" });
    for (const { worker } of [first, second]) expect(worker.env).not.toHaveProperty("WORKER_METRICS_PORT");
    expect(parseCliEnv({}).WORKER_METRICS_PORT).toBeUndefined();
    // the port the worker gets is the one the supervisor validated, not a copy in what it inherits
    expect(services({}, { WORKER_METRICS_PORT: "abc" }).worker.env).not.toHaveProperty("WORKER_METRICS_PORT");
  });
});

describe("npm start's metrics token", () => {
  it("is METRICS_TOKEN when set, and no file is made", async () => {
    const dir = await dataDir();
    expect(await loadMetricsToken({ configured: "c".repeat(32), dataDir: dir })).toBe("c".repeat(32));
    await expect(stat(path.join(dir, "secrets", "metrics-token"))).rejects.toThrow(/ENOENT/);
  });

  it("is generated at the first start into the data folder's secrets (mode 0600) and kept", async () => {
    const dir = await dataDir();
    const token = await loadMetricsToken({ configured: undefined, dataDir: dir });
    // the gateway refuses a METRICS_TOKEN under 32 characters
    expect(token.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, "secrets", "metrics-token");
    expect((await readFile(file, "utf8")).trim()).toBe(token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadMetricsToken({ configured: undefined, dataDir: dir })).toBe(token);
  });

  it("is refused by the environment check when shorter than the gateway accepts", () => {
    expect(() => parseCliEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});
