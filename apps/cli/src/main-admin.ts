import { runAdminCli } from "./admin/run-admin-cli.ts";

const code = await runAdminCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = code;
