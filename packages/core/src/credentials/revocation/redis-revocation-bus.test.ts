import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { within } from "../../../../../test/support/fake-upstream.ts";
import {
  findRedisServerBinary,
  NO_REDIS_SERVER_REASON,
  startOwnRedisServer,
} from "../../../../../test/support/redis-server.ts";
import { createRedisRevocationBus } from "./redis-revocation-bus.ts";

const binary = findRedisServerBinary();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** What a listener heard, and a wait for the next call that matches. */
function heard() {
  const calls: (string | null)[] = [];
  let wake = () => {};
  return {
    listener: (credentialId: string | null) => {
      calls.push(credentialId);
      wake();
    },
    has: (credentialId: string | null) => calls.includes(credentialId),
    async next(credentialId: string | null, what: string) {
      const arrived = async () => {
        while (!calls.includes(credentialId)) await new Promise<void>((resolve) => (wake = resolve));
      };
      await within(arrived(), 10_000, what);
    },
  };
}

describe.skipIf(!binary)(`revocations over Redis ${binary ? "" : NO_REDIS_SERVER_REASON}`, () => {
  it("are heard again after Redis restarts, with a drop-everything signal for what was missed", async () => {
    const server = await startOwnRedisServer(binary as string);
    cleanups.push(() => server.dispose());
    const gateway = createRedisRevocationBus(server.url);
    const publisher = createRedisRevocationBus(server.url);
    cleanups.push(gateway.close, publisher.close);
    const revocations = heard();
    await gateway.subscribe(revocations.listener);

    await publisher.publish("key_before");
    await revocations.next("key_before", "the revocation before the restart");

    await server.stop();
    await server.start();
    await revocations.next(null, "the signal that revocations may have been missed");
    // the gateway subscribes again as it reconnects; until Redis has taken that, a publish is lost
    for (let attempt = 0; attempt < 200 && !revocations.has("key_after"); attempt++) {
      await publisher.publish("key_after");
      await sleep(50);
    }
    expect(revocations.has("key_after")).toBe(true);
  });
});
