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

export interface GatewayProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** everything it printed so far, stdout and stderr */
  output(): string;
  /** its exit code (null when a signal ended it) */
  exited: Promise<number | null>;
  /** SIGKILLs it if it still runs and removes its DATA_DIR */
  kill(): Promise<void>;
}

/**
 * The real server process, src/server.ts under tsx as `npm start` runs its build, on a free
 * loopback port and a DATA_DIR of its own; resolves once it listens. `env` adds to (or
 * overrides) the test environment.
 */
export async function startGatewayProcess(options: {
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<GatewayProcess> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-gateway-process-"));
  const child = spawn(process.execPath, ["--import", "tsx", "apps/gateway/src/server.ts"], {
    cwd: repositoryRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: dataDir,
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: "127.0.0.1",
      API_KEY_PEPPER: TEST_PEPPER,
      // the test gateways' key: tests read the logs it wrote with TEST_KEYRING
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: "info",
      ...options.env,
    },
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  let output = "";
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (data: Buffer) => {
      output += String(data);
      if (output.includes("Server listening at")) resolve();
    });
    child.stderr?.on("data", (data: Buffer) => {
      output += String(data);
    });
    void exited.then((code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await within(listening, 25_000, "the gateway listening");
  } catch (error) {
    await kill();
    throw error;
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited, kill };
}
