import { runAdminCli } from "../../apps/cli/src/admin/run-admin-cli.ts";

export interface AdminCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `dsc-admin` in this process with `env` as its whole environment and what it printed
 * collected. DATA_DIR points nowhere: these commands never touch uploaded files, and one that
 * did would fail rather than write beside the tests.
 */
export async function runAdminCliCaptured(argv: string[], env: NodeJS.ProcessEnv): Promise<AdminCliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runAdminCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { DATA_DIR: "/nonexistent-never-used", ...env },
  });
  return { code, stdout, stderr };
}
