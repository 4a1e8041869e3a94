import { getEventListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";
import { createInFlightChats, type InFlightChats } from "./in-flight-chats.ts";

/*
 * The in-flight registry outlives every call, so whatever a call hangs on its cut signal stays
 * reachable from it. A listener left there kept each request (reply, body, upstream call) alive
 * through the young generation's collections, which then copied it into the old one.
 */

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let secret: string;
const registry = createInFlightChats();
const cuts: AbortSignal[] = [];
/** the gateway's real registry, noting the cut signal of each call it begins */
const chats: InFlightChats = {
  begin() {
    const call = registry.begin();
    cuts.push(call.cut);
    return call;
  },
  get count() {
    return registry.count;
  },
  cutAll: (reason) => registry.cutAll(reason),
  whenNone: () => registry.whenNone(),
};

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, chats });
  secret = (await createOrgWithKey(t.db, { tier: "pro" })).secret;
});
afterAll(() => gateway.close());

function chat(body: object) {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "Hello" }], ...body }),
  });
}

describe("a chat call and the in-flight registry", () => {
  it("leaves nothing on the registry's cut signal once it is over: JSON, stream, or failed", async () => {
    const json = await chat({ model: "deepseek-chst-1.0" });
    expect(json.status).toBe(200);
    const stream = await chat({ model: "deepseek-chst-1.0", stream: true });
    expect(stream.status).toBe(200);
    expect(await stream.text()).toContain("data: [DONE]");
    // refused inside the call (the model does not exist), after the route began it
    const failed = await chat({ model: "no-such-model" });
    expect(failed.status).toBe(404);
    await json.text();

    await registry.whenNone();
    expect(cuts).toHaveLength(3);
    for (const cut of cuts) expect(getEventListeners(cut, "abort")).toEqual([]);
  });
});
