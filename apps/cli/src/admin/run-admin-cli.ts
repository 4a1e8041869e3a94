import { parseArgs } from "node:util";
import { isDomainError } from "@dsc/core";
import { EnvError, parseCliEnv } from "../env.ts";
import { openPlatform } from "../platform.ts";
import {
  type AdminCommand,
  type CommandInput,
  commandInput,
  type Output,
  parseArgsOptions,
  UsageError,
  type Values,
} from "./command.ts";
import { migrate, seedCommand } from "./commands/database.ts";
import { erasureRequest } from "./commands/erasure.ts";
import { keyCreate, keyList, keyRevoke, keyRotate } from "./commands/key.ts";
import { MODEL_COMMANDS } from "./commands/model.ts";
import {
  oauthClientCreate,
  oauthClientList,
  oauthClientRevoke,
  oauthClientRotateSecret,
} from "./commands/oauth-client.ts";
import { orgCreate, orgDataProtection, orgLegalHold, orgList, tierSet, tierStorage } from "./commands/org.ts";
import { signingKeyList, signingKeyRotate } from "./commands/signing-key.ts";
import {
  webhookCreate,
  webhookDelete,
  webhookDisable,
  webhookEnable,
  webhookList,
  webhookRotateSecret,
} from "./commands/webhook.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * `dsc-admin`: runs one command and resolves with the process exit code. Bad arguments
 * print one line and give 2; failures of the command itself give 1.
 */
export async function runAdminCli(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes("--json");
  const args = argv.filter((arg) => arg !== "--json");
  const fail = (code: number, message: string) => {
    if (json) io.stdout(`${JSON.stringify({ error: { message } })}\n`);
    io.stderr(`dsc-admin: ${message}\n`);
    return code;
  };

  let env: ReturnType<typeof parseCliEnv>;
  try {
    env = parseCliEnv(io.env);
  } catch (error) {
    if (error instanceof EnvError) return fail(EXIT.usage, error.message);
    throw error;
  }
  const commands: AdminCommand[] = [
    orgCreate,
    orgList,
    orgLegalHold,
    orgDataProtection,
    tierSet,
    tierStorage,
    ...MODEL_COMMANDS,
    keyCreate,
    keyList,
    keyRevoke,
    keyRotate,
    oauthClientCreate,
    oauthClientList,
    oauthClientRevoke,
    oauthClientRotateSecret,
    signingKeyRotate(env),
    signingKeyList,
    webhookCreate(env),
    webhookList,
    webhookEnable,
    webhookDisable,
    webhookDelete,
    webhookRotateSecret(env),
    erasureRequest,
    migrate,
    seedCommand(env),
  ];

  if (args.length === 0 || args[0] === "help" || args[0] === "--help" || args[0] === "-h") {
    io.stdout(helpText(commands));
    return args.length === 0 ? EXIT.usage : EXIT.ok;
  }
  // the longest name that the arguments start with: `model deployment add` before `model …`
  const command = [3, 2, 1]
    .map((words) => commands.find((c) => c.name === args.slice(0, words).join(" ")))
    .find((found) => found !== undefined);
  if (!command)
    return fail(EXIT.usage, `unknown command "${args.slice(0, 2).join(" ")}" (try dsc-admin help)`);

  let input: CommandInput;
  try {
    const parsed = parseArgs({
      args: args.slice(command.name.split(" ").length),
      options: parseArgsOptions(command),
      allowPositionals: true,
      strict: true,
    });
    input = commandInput(command, parsed.values as Values, parsed.positionals);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : (error as Error).message.split(". ")[0];
    return fail(EXIT.usage, `${message} (usage: dsc-admin ${command.usage})`);
  }

  const out: Output = {
    json,
    result: (human, value) => io.stdout(json ? `${JSON.stringify(value)}\n` : `${human}\n`),
    note: (message) => {
      if (!json) io.stderr(`${message}\n`);
    },
  };
  let platform: Awaited<ReturnType<typeof openPlatform>> | null = null;
  try {
    platform = await openPlatform(env, out.note);
    await command.run(platform, input, out);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError)
      return fail(EXIT.usage, `${error.message} (usage: dsc-admin ${command.usage})`);
    if (isDomainError(error)) return fail(error.code === "invalid" ? EXIT.usage : EXIT.failed, error.message);
    return fail(EXIT.failed, (error as Error).message.split("\n")[0] ?? "failed");
  } finally {
    await platform?.close();
  }
}

function helpText(commands: AdminCommand[]): string {
  return [
    "dsc-admin: administer the Deep Seek Chat API platform",
    "",
    "Commands (add --json to any for machine-readable output):",
    ...commands.map((c) => `  dsc-admin ${c.usage}`),
    "",
    "Uses DATABASE_URL when set, else the embedded database under DATA_DIR (default .data/).",
    "",
  ].join("\n");
}
