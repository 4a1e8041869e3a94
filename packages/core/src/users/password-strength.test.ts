import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors/domain-error.ts";
import {
  assertStrongPassword,
  MAX_PENDING_STRENGTH_CHECKS,
  STRENGTH_CHECKED_LENGTH,
} from "./password-strength.ts";

const person = { userInputs: ["ada.lovelace@example.com", "Ada Lovelace"] };

async function refusal(password: string, context = person): Promise<DomainError> {
  try {
    await assertStrongPassword(password, context);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`"${password}" was accepted`);
}

describe("assertStrongPassword", () => {
  it("accepts a passphrase of unrelated words and a random string", async () => {
    await expect(assertStrongPassword("correct horse battery staple", person)).resolves.toBeUndefined();
    await expect(assertStrongPassword("xK9#mP2$vL7@nQ4!", person)).resolves.toBeUndefined();
  });

  it("refuses a common password with zxcvbn's advice, at the field it names", async () => {
    const error = await refusal("password1234", person);
    expect(error.code).toBe("invalid");
    expect(error.param).toBe("password");
    expect(error.message).toMatch(/^This password is too easy to guess\. /);
    expect(error.message).toContain("This is similar to a commonly used password.");
    expect((await refusal("1a1a1a1a1a1a1a", person)).message).toContain("Repeated character patterns");
  });

  it("counts the person's e-mail address and name as guessable, also run together", async () => {
    expect((await refusal("ada.lovelace@example.com")).message).toContain(
      "There should not be any personal or page related data.",
    );
    // strong for someone else: only the person's own details make it guessable
    await expect(assertStrongPassword("adalovelace1815", { userInputs: [] })).resolves.toBeUndefined();
    expect((await refusal("adalovelace1815")).message).toContain("personal");
  });

  it("keeps the length bounds, naming the caller's field", async () => {
    expect((await refusal("Tr0ub4dor&3")).message).toBe("The password must be at least 12 characters.");
    expect((await refusal("x".repeat(201))).message).toBe("The password must be at most 200 characters.");
    await expect(assertStrongPassword("short", person, "newPassword")).rejects.toMatchObject({
      param: "newPassword",
    });
  });

  it("judges only the first 64 characters, so hostile 200-character inputs finish and long strong ones pass", async () => {
    expect(STRENGTH_CHECKED_LENGTH).toBe(64);
    // repeated patterns make zxcvbn's matchers work hardest; each of these completes
    for (const hostile of [
      "a".repeat(200),
      "1a".repeat(100),
      "abcdefghijklmnopqrstuvwxyz".repeat(8),
      "19801231".repeat(25),
    ]) {
      expect((await refusal(hostile)).code).toBe("invalid");
    }
    // a random block repeated is judged strong by zxcvbn; what matters is that the check ends
    await expect(assertStrongPassword("a@4$1!0o3e".repeat(20), person)).resolves.toBeUndefined();
    await expect(
      assertStrongPassword(`correct horse battery staple ${"a".repeat(170)}`, person),
    ).resolves.toBeUndefined();
    // what comes after the judged part cannot rescue a weak start
    expect((await refusal(`${"a".repeat(64)}correct horse battery staple`)).code).toBe("invalid");
  });

  it("estimates on a thread of its own: the event loop turns while a hostile check runs", async () => {
    await assertStrongPassword("correct horse battery staple", person); // the thread is up
    const order: string[] = [];
    const check = assertStrongPassword("19801231".repeat(25), person).catch(() => order.push("check"));
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        order.push("event loop");
        resolve();
      }),
    );
    await check;
    // on the caller's thread the estimate would have finished before the loop turned once
    expect(order).toEqual(["event loop", "check"]);
  });

  it("refuses more waiting checks than the thread's queue holds, with a sentence, and recovers", async () => {
    const checks = Array.from({ length: MAX_PENDING_STRENGTH_CHECKS + 8 }, () =>
      assertStrongPassword("19801231".repeat(8), person).then(
        () => "checked",
        (error: DomainError) => (error.code === "unavailable" ? error.message : "refused as weak"),
      ),
    );
    const outcomes = await Promise.all(checks);
    expect(outcomes.filter((outcome) => outcome === "refused as weak")).toHaveLength(
      MAX_PENDING_STRENGTH_CHECKS,
    );
    expect(
      outcomes.filter((outcome) => outcome.startsWith("Passwords cannot be checked right now")),
    ).toHaveLength(8);
    await expect(assertStrongPassword("correct horse battery staple", person)).resolves.toBeUndefined();
  });
});

describe("the estimator's thread", () => {
  /** a separate Node process that checks two passwords from `cwd` and prints the outcomes */
  async function checkInProcess(cwd: string): Promise<{ code: number | null; outcomes: string[] }> {
    const moduleUrl = new URL("./password-strength.ts", import.meta.url).href;
    const script = `
      const { assertStrongPassword } = await import(${JSON.stringify(moduleUrl)});
      const outcome = (p) => p.then(() => "strong", (e) => e.code ?? String(e));
      const outcomes = [];
      outcomes.push(await outcome(assertStrongPassword("correct horse battery staple", { userInputs: [] })));
      outcomes.push(await outcome(assertStrongPassword("violet tractor lantern meadow", { userInputs: [] })));
      console.log(JSON.stringify(outcomes));`;
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx/esm"), "--input-type=module", "-e", script],
      {
        cwd,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    // an idle estimator must not keep the process alive: it exits by itself, or is killed here
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearTimeout(killer);
    return { code, outcomes: JSON.parse(output.trim().split("\n").at(-1) ?? "[]") };
  }

  it("never keeps a process alive once its checks are answered", async () => {
    expect(await checkInProcess(process.cwd())).toEqual({ code: 0, outcomes: ["strong", "strong"] });
  });

  it("answers 'unavailable' (not a crash) where zxcvbn cannot be loaded, each check again", async () => {
    // outside the repository nothing resolves @zxcvbn-ts: each new thread fails on its own
    const nowhere = await mkdtemp(path.join(os.tmpdir(), "dsc-no-modules-"));
    try {
      expect(await checkInProcess(nowhere)).toEqual({ code: 0, outcomes: ["unavailable", "unavailable"] });
    } finally {
      await rm(nowhere, { recursive: true, force: true });
    }
  });
});
