import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { within } from "../../../../test/support/fake-upstream.ts";
import { freePort } from "../../../../test/support/free-port.ts";
import { TEST_ENCRYPTION_KEY, TEST_PEPPER } from "./start-test-gateway.ts";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface SpawnedGateway {
  child: ChildProcess;
  /** everything it printed so far, stdout and stderr */
  output(): string;
  /**
   * its exit code (null when a signal ended it), once its output is all read: 'exit' may come
   * before the last of its stdout, and cluster workers hold the same pipes until they end
   */
  exited: Promise<number | null>;
}

export interface GatewayProcess extends SpawnedGateway {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** SIGKILLs it if it still runs and removes its DATA_DIR */
  kill(): Promise<void>;
}

/**
 * The real server process, src/server.ts under tsx as `npm start` runs its build, with `env`
 * (and PATH, and NODE_ENV=test unless `env` says otherwise) as its whole environment. It may
 * refuse to start: startGatewayProcess is for one that is to listen.
 */
export function spawnGateway(env: Record<string, string>): SpawnedGateway {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/gateway/src/server.ts"], {
    cwd: repositoryRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, NODE_ENV: "test", ...env },
  });
  const exited = once(child, "close").then(([code]) => code as number | null);
  let output = "";
  const collect = (data: Buffer) => {
    output += String(data);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return { child, output: () => output, exited };
}

/**
 * spawnGateway on a free loopback port and a DATA_DIR of its own, with the test pepper and
 * encryption key; resolves once it listens. `env` adds to (or overrides) the test environment.
 */
export async function startGatewayProcess(options: {
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<GatewayProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-gateway-process-"));
  const gateway = spawnGateway({
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: dataDir,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: "127.0.0.1",
    API_KEY_PEPPER: TEST_PEPPER,
    // the test gateways' key: tests read the logs it wrote with TEST_KEYRING
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: "info",
    ...options.env,
  });
  const { child, output, exited } = gateway;
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", () => {
      if (output().includes("Server listening at")) resolve();
    });
    void exited.then((code) => reject(new Error(`gateway exited with ${code}: ${output()}`)));
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // 'exit', not exited: workers that are still draining may hold its pipes a while
      const killed = once(child, "exit");
      child.kill("SIGKILL");
      await killed;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await within(listening, 25_000, "the gateway listening");
  } catch (error) {
    await kill();
    throw error;
  }
  return { ...gateway, url: `http://127.0.0.1:${port}`, kill };
}
