import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { within } from "../../../../test/support/fake-upstream.ts";
import {
  createPostgresNotifications,
  NOTIFICATIONS_APPLICATION_NAME,
  type PostgresNotifications,
} from "./postgres-notifications.ts";

let t: TestDatabase;
let hubs: PostgresNotifications[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  for (const hub of hubs) await hub.close();
  hubs = [];
});

function newHub() {
  const hub = createPostgresNotifications(t.url);
  hubs.push(hub);
  return hub;
}

/** A channel's handlers that remember what arrived and let a test wait for it. */
function recorder() {
  const messages: string[] = [];
  let reconnects = 0;
  let wake = () => {};
  const changed = () => new Promise<void>((resolve) => (wake = resolve));
  let next = changed();
  const handlers = {
    onMessage(payload: string) {
      messages.push(payload);
      wake();
      next = changed();
    },
    onReconnect() {
      reconnects++;
      wake();
      next = changed();
    },
  };
  return {
    handlers,
    messages,
    reconnects: () => reconnects,
    async until(done: () => boolean, what: string) {
      while (!done()) await within(next, 5_000, what);
    },
  };
}

const listeningConnections = async () =>
  (
    await t.db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity
       WHERE application_name = ${NOTIFICATIONS_APPLICATION_NAME} AND datname = current_database()`
  ).map((row) => row.pid);

describe("PostgreSQL notifications", () => {
  it("listens to every channel over one connection and delivers each message to its channel", async () => {
    const hub = newHub();
    const [a, b, alsoA] = [recorder(), recorder(), recorder()];
    await hub.listen("dsc_test_a", a.handlers);
    await hub.listen("dsc_test_b", b.handlers);
    await hub.listen("dsc_test_a", alsoA.handlers);
    expect(await listeningConnections()).toHaveLength(1);

    await hub.notify("dsc_test_a", "to a");
    await hub.notify("dsc_test_b", "to b");
    await a.until(() => a.messages.length === 1, "the message to a");
    await b.until(() => b.messages.length === 1, "the message to b");
    await alsoA.until(() => alsoA.messages.length === 1, "the message to a's second listener");
    expect([a.messages, b.messages, alsoA.messages]).toEqual([["to a"], ["to b"], ["to a"]]);
  });

  it("resolves every listen to a channel only once its LISTEN is in place", async () => {
    const hub = newHub();
    await hub.listen("dsc_test_g", recorder().handlers); // the connection is open
    const [first, second] = [recorder(), recorder()];
    // the second listen to a new channel waits for the first one's LISTEN, not only the connection
    const firstListen = hub.listen("dsc_test_f", first.handlers);
    await hub.listen("dsc_test_f", second.handlers);
    await hub.notify("dsc_test_f", "right away");
    await firstListen;
    await first.until(() => first.messages.length === 1, "the first listener's message");
    await second.until(() => second.messages.length === 1, "the second listener's message");
  });

  it("after losing its connection, listens to every channel again and tells each of them", async () => {
    const hub = newHub();
    const [a, b] = [recorder(), recorder()];
    await hub.listen("dsc_test_c", a.handlers);
    await hub.listen("dsc_test_d", b.handlers);
    const [pid] = await listeningConnections();
    await t.db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;

    await a.until(() => a.reconnects() === 1, "channel c told of the reconnection");
    await b.until(() => b.reconnects() === 1, "channel d told of the reconnection");
    const [newPid] = await listeningConnections();
    expect(newPid).toBeDefined();
    expect(newPid).not.toBe(pid);
    await hub.notify("dsc_test_c", "after");
    await hub.notify("dsc_test_d", "after");
    await a.until(() => a.messages.length === 1, "a message to c after the reconnection");
    await b.until(() => b.messages.length === 1, "a message to d after the reconnection");
  });

  it("refuses the first listen when the database cannot be reached, and closes cleanly", async () => {
    const hub = createPostgresNotifications("postgresql://nobody@127.0.0.1:1/none");
    await expect(hub.listen("dsc_test_e", recorder().handlers)).rejects.toThrow();
    await hub.close();
  });
});
