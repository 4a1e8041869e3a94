import { GATEWAY_SERVER } from "./build-servers.ts";
import { type Placement, type Running, type StartOptions, start } from "./processes.ts";

const GATEWAY_LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * The built gateway (or the bundle at `entry`, another build of it) on a free port of 127.0.0.1,
 * with LOG_LEVEL=info as by default; `env` adds to that; `options` as `start`'s.
 */
export function startGateway(
  nodeArgs: string[],
  env: Record<string, string>,
  placement: Placement = {},
  entry: string = GATEWAY_SERVER,
  options: StartOptions = {},
): Promise<Running> {
  return start(
    [...nodeArgs, entry],
    { GATEWAY_HOST: "127.0.0.1", GATEWAY_PORT: "0", LOG_LEVEL: "info", ...env },
    GATEWAY_LISTENING,
    placement,
    options,
  );
}
