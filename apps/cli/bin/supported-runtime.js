// Which Node.js the platform runs on, checked by the bin entries before anything else. Plain
// JavaScript, not src/: it must run before the build, on whatever node the user has.

/** The oldest Node.js the platform supports: package.json's `engines.node`. */
export const MINIMUM_NODE_VERSION = "22.12.0";

/** Whether a Node.js version (`process.versions.node`, e.g. "24.21.0") is new enough. */
export function isSupportedNodeVersion(version) {
  const [major = 0, minor = 0] = String(version).replace(/^v/, "").split(".").map(Number);
  const [minMajor = 0, minMinor = 0] = MINIMUM_NODE_VERSION.split(".").map(Number);
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

/** What a user on an older Node.js is told: what is wrong and the two ways out. */
export function unsupportedRuntimeMessage(command, version) {
  return [
    `${command}: this is Node.js ${version}; the platform needs Node.js ${MINIMUM_NODE_VERSION} or newer.`,
    "  Run it through npm: `npm install && npm start`. `npm install` puts the project's own Node.js 24",
    "  in node_modules (the `node` package), and every npm script runs on it.",
    "  Or install Node.js 24 LTS (22.12 or newer works too) and run the command again.",
  ].join("\n");
}

/** Exits with status 1 and the message above when the running Node.js is too old. */
export function refuseUnsupportedRuntime(command) {
  const version = process.versions.node;
  if (isSupportedNodeVersion(version)) return;
  process.stderr.write(`${unsupportedRuntimeMessage(command, version)}\n`);
  process.exit(1);
}
