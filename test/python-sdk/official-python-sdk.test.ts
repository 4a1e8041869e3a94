import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createCustomTier } from "../../apps/gateway/src/testing/custom-tier.ts";
import {
  createOrgWithKey,
  createOrgWithOAuthClient,
  startTestGateway,
} from "../../apps/gateway/src/testing/start-test-gateway.ts";
import { createTestDatabase } from "../support/database.ts";
import { PYTHON_INSTALL_COMMAND, PYTHON_SDK_VERSION, preparePythonSdk } from "../support/python-sdk.ts";

/**
 * The official Python SDK (pinned) against a real gateway, on every public endpoint. One Python
 * process runs all the cases (openai-sdk-cases.py); each reports its outcome as a JSON line,
 * and each becomes a test here. Skipped, with the command that fixes it, where python3 with
 * venv is missing.
 */
const CASES = [
  "models_list_and_retrieve",
  "chat_completion",
  "chat_stream_with_usage",
  "chat_forced_tool_call",
  "chat_json_mode",
  "files_lifecycle",
  "error_400_names_the_param",
  "error_401_bad_key",
  "error_404_model_not_found",
  "error_429_with_retry_after",
  "error_429_retried_by_the_sdk",
  "oauth_access_token_as_api_key",
  "raw_response_rate_limit_headers",
  "user_deletion_and_export",
] as const;

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "openai-sdk-cases.py");

const sdk = await preparePythonSdk();
// CI promises these tests run: there a missing SDK is a failure, not a skip
if (sdk.python === null && process.env.CI === "true") {
  throw new Error(`the Python SDK tests cannot run in CI: ${sdk.reason}`);
}
if (sdk.python === null) {
  console.error(
    `Python SDK tests skipped: ${sdk.reason}. Install Python with \`${PYTHON_INSTALL_COMMAND}\` and run npm test again.`,
  );
}

interface Outcome {
  case: string;
  ok: boolean;
  error?: string;
}

describe.skipIf(sdk.python === null)(`the official Python SDK (openai==${PYTHON_SDK_VERSION})`, () => {
  let run: { code: number; stderr: string; outcomes: Map<string, Outcome> };

  beforeAll(async () => {
    const { db } = await createTestDatabase();
    const gateway = await startTestGateway({ db });
    try {
      // every scope a key can have, on a tier these cases never limit
      const main = await createOrgWithKey(db, {
        tier: await createCustomTier(db, { requestsPerMinute: 10_000, tokensPerMinute: 10_000_000 }),
        scopes: ["models:read", "chat", "files", "users:delete", "users:export"],
      });
      const limited = await createOrgWithKey(db, {
        tier: await createCustomTier(db, { requestsPerMinute: 1 }),
      });
      const retried = await createOrgWithKey(db, {
        tier: await createCustomTier(db, { requestsPerMinute: 60 }),
      });
      const oauth = await createOrgWithOAuthClient(db);
      // without inherited OPENAI_* settings (an organization or project header would change requests)
      const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith("OPENAI_")),
      );
      run = await runPython(sdk.python as string, [script, ...CASES], {
        ...inherited,
        OPENAI_BASE_URL: `${gateway.url}/v1`,
        OPENAI_API_KEY: main.secret,
        DSC_GATEWAY_URL: gateway.url,
        DSC_LIMITED_API_KEY: limited.secret,
        DSC_RETRY_API_KEY: retried.secret,
        DSC_OAUTH_CLIENT_ID: oauth.client.id,
        DSC_OAUTH_CLIENT_SECRET: oauth.secret,
        PYTHONUNBUFFERED: "1",
      });
    } finally {
      await gateway.close();
    }
  }, 90_000);

  it.each(CASES)("%s", (name) => {
    const outcome = run.outcomes.get(name);
    expect(outcome, `no outcome reported; Python's stderr:\n${run.stderr}`).toBeDefined();
    expect(outcome?.ok, `${outcome?.error}\nPython's stderr:\n${run.stderr}`).toBe(true);
  });

  it("exits 0 once every case has passed", () => {
    expect(run.code, `Python's stderr:\n${run.stderr}`).toBe(0);
  });
});

function runPython(python: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stderr: string; outcomes: Map<string, Outcome> }>((resolve) => {
    // bounded: a hung case ends the process rather than the run
    execFile(python, args, { env, timeout: 80_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const outcomes = new Map<string, Outcome>();
      for (const line of stdout.split("\n")) {
        if (!line.startsWith("{")) continue;
        const outcome = JSON.parse(line) as Outcome;
        outcomes.set(outcome.case, outcome);
      }
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stderr: `${stderr}${error?.killed ? "\n(killed after 80 s)" : ""}`, outcomes });
    });
  });
}
