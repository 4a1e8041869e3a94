import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  isSupportedNodeVersion,
  MINIMUM_NODE_VERSION,
  unsupportedRuntimeMessage,
} from "../../bin/supported-runtime.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

describe("the supported Node.js runtime", () => {
  it("accepts 22.12 and newer, refuses older", () => {
    for (const version of ["22.12.0", "v22.12.0", "22.20.1", "23.0.0", "24.21.0", "26.1.0"]) {
      expect(isSupportedNodeVersion(version), version).toBe(true);
    }
    for (const version of ["22.11.0", "20.20.2", "v20.19.0", "18.20.8", "garbage"]) {
      expect(isSupportedNodeVersion(version), version).toBe(false);
    }
  });

  it("is the minimum that package.json's engines declares", () => {
    const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
    const declared = /^>=(\d+\.\d+)/.exec(manifest.engines.node)?.[1];
    expect(MINIMUM_NODE_VERSION.startsWith(`${declared}.`)).toBe(true);
  });

  it("tells a user on an old runtime what to do", () => {
    const message = unsupportedRuntimeMessage("npm start", "20.20.2");
    expect(message).toContain("Node.js 20.20.2");
    expect(message).toContain(`Node.js ${MINIMUM_NODE_VERSION} or newer`);
    expect(message).toContain("npm install && npm start");
    expect(message).toContain("install Node.js 24");
  });

  it("npm start's entry refuses an old runtime before it builds anything", () => {
    // the entry alone in a folder without the repository: were the check missing, it would fail
    // at once looking for turbo instead of building and starting the platform
    const scratch = mkdtempSync(path.join(os.tmpdir(), "dsc-runtime-check-"));
    try {
      const bin = path.join(scratch, "apps/cli/bin");
      mkdirSync(bin, { recursive: true });
      for (const file of ["start.js", "supported-runtime.js"]) {
        copyFileSync(path.join(root, "apps/cli/bin", file), path.join(bin, file));
      }
      // the same node, told it is 20.20.2 before the entry runs
      const pretend = 'Object.defineProperty(process.versions, "node", { value: "20.20.2" })';
      const result = spawnSync(
        process.execPath,
        ["--import", `data:text/javascript,${encodeURIComponent(pretend)}`, path.join(bin, "start.js")],
        { cwd: scratch, encoding: "utf8", timeout: 60_000 },
      );
      expect(result.stderr).toContain("npm start: this is Node.js 20.20.2");
      expect(result.stderr).toContain("npm install && npm start");
      expect(result.status).toBe(1);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
