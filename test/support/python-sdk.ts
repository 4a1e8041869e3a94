import { execFile } from "node:child_process";
import { access, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The official Python SDK the tests hold the gateway to; pinned so a new release cannot break a run. */
export const PYTHON_SDK_VERSION = "3.22.1";

/** What a developer without Python installs (Debian and Ubuntu; README, section Development). */
export const PYTHON_INSTALL_COMMAND = "sudo apt-get install python3 python3-venv";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** git-ignored; keyed by version, so a new pin gets a new environment beside the old one */
const cacheDir = path.join(repoRoot, ".cache", "python-sdk");
const COMPLETE = ".complete";

export type PythonSdk = { python: string } | { python: null; reason: string };

/**
 * A virtual environment with `openai==PYTHON_SDK_VERSION`, built once and reused. It is built in
 * a temporary folder beside its final place and renamed into it, so two test runs building it
 * at once never see a half-installed one (the loser of the rename throws its copy away).
 * Without a usable python3 (3.10 or newer, with venv and pip) or when pip cannot install the
 * package, it returns the reason instead of throwing: the caller skips.
 */
export async function preparePythonSdk(): Promise<PythonSdk> {
  const venv = path.join(cacheDir, `openai-${PYTHON_SDK_VERSION}`);
  const python = path.join(venv, "bin", "python");
  if (await exists(path.join(venv, COMPLETE))) {
    // a venv links to the interpreter it was made with: once that is gone (a Python upgrade), rebuild
    const starts = await run(python, ["-c", "pass"]).then(
      () => true,
      () => false,
    );
    if (starts) return { python };
    await rm(venv, { recursive: true, force: true });
  }

  const version = await run("python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).catch(
    () => null,
  );
  if (!version) return { python: null, reason: "python3 was not found" };
  const [major = 0, minor = 0] = version.stdout.trim().split(".").map(Number);
  if (major < 3 || (major === 3 && minor < 10)) {
    return { python: null, reason: `python3 is ${version.stdout.trim()}; openai needs 3.10 or newer` };
  }

  await mkdir(cacheDir, { recursive: true });
  const building = await mkdtemp(path.join(cacheDir, ".building-"));
  try {
    const created = await run("python3", ["-m", "venv", building]).catch((error: Error) => error);
    if (created instanceof Error) {
      return {
        python: null,
        reason: `python3 -m venv failed (is python3-venv installed?): ${tail(created)}`,
      };
    }
    const installed = await run(
      path.join(building, "bin", "python"),
      // one retry: an index that cannot be reached otherwise costs minutes of backoff per package
      [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--retries",
        "1",
        `openai==${PYTHON_SDK_VERSION}`,
      ],
      { maxBuffer: 16 << 20 },
    ).catch((error: Error) => error);
    if (installed instanceof Error) {
      return {
        python: null,
        reason: `pip could not install openai==${PYTHON_SDK_VERSION}: ${tail(installed)}`,
      };
    }
    await writeFile(path.join(building, COMPLETE), `openai==${PYTHON_SDK_VERSION}\n`);
    // a venv finds its packages from its own location, so it still works once renamed
    await rename(building, venv).catch(async (error: NodeJS.ErrnoException) => {
      // another run finished first: use its copy
      if (!(await exists(path.join(venv, COMPLETE)))) throw error;
    });
    return { python };
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function tail(error: Error & { stderr?: string }): string {
  const text = (error.stderr || error.message).trim();
  return text.split("\n").slice(-3).join(" / ");
}
