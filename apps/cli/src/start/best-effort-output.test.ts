import { spawn } from "node:child_process";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const module = pathToFileURL(new URL("./best-effort-output.ts", import.meta.url).pathname).href;

// a process printing as the supervisor does: a line once up, and on SIGINT its stop's lines
const printer = `
const { bestEffortLines } = await import(${JSON.stringify(module)});
const print = bestEffortLines(process.stdout);
process.on("SIGINT", () => {
  for (let line = 0; line < 50; line++) print("[platform]  SIGINT: stopping " + line);
  setTimeout(() => { print("[platform]  stopped"); process.exit(0); }, 200);
});
setInterval(() => {}, 1_000);
print("[platform]  running");
`;

describe("the supervisor's output", () => {
  it("reaches its reader, and once the reader is gone (npm start | tee, Ctrl-C) the stop still runs to its end", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", printer], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (chunk) => {
      errors += chunk;
    });
    const exited = once(child, "exit");
    const [first] = (await once(child.stdout, "data")) as [Buffer];
    expect(first.toString()).toBe("[platform]  running\n");

    // the reader ends: every later write fails with EPIPE, which, unhandled, ended the process
    child.stdout.destroy();
    child.kill("SIGINT");
    const [code, signal] = await exited;
    expect({ code, signal, errors }).toEqual({ code: 0, signal: null, errors: "" });
  });
});
