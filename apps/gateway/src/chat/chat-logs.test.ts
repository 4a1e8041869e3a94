import { cliActor, readChatLogs, systemClock } from "@dsc/core";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, startTestGateway, TEST_KEYRING } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const MODEL = "deepseek-chst-1.0";

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
});
afterAll(() => gateway.close());

async function orgClient() {
  const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
  const headers: Record<string, string> = {};
  const client = new OpenAI({
    apiKey: secret,
    baseURL: `${gateway.url}/v1`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
  return { org, client, headers };
}

const ask = (
  client: OpenAI,
  content: string,
  options: { stream?: boolean; headers?: Record<string, string> } = {},
) =>
  client.chat.completions.create(
    { model: MODEL, user: "end-user-7", messages: [{ role: "user", content }], temperature: 1 },
    { headers: options.headers },
  );

describe("conversation logs", () => {
  it("keeps each turn encrypted, with personal data masked, readable by an audited reader", async () => {
    const { org, client } = await orgClient();
    await ask(client, "my email is jane@example.com, call +44 20 7946 0958");
    await gateway.chatLogs.flush();
    const row = await t.db.chatLog.findFirstOrThrow({ where: { organizationId: org.id } });
    expect(row).toMatchObject({ endUserId: "end-user-7", modelId: MODEL });
    expect(Buffer.from(row.requestCiphertext).toString("latin1")).not.toContain("jane@example.com");
    // written at flush time, expiring 30 days after the request (tier default)
    expect(Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 30 * 86_400_000)).toBeLessThan(5_000);

    const [log] = await readChatLogs(
      { db: t.db, clock: systemClock, keyring: TEST_KEYRING },
      { organizationId: org.id, actor: cliActor("test"), purpose: "test" },
    );
    const text = JSON.stringify(log?.messages);
    expect(text).toContain("my email is [EMAIL], call [PHONE]");
    expect(text).not.toContain("jane@example.com");
  });

  it("keeps no log when the request opts out with X-Data-Opt-Out", async () => {
    const { org, client } = await orgClient();
    await ask(client, "do not keep this", { headers: { "x-data-opt-out": "true" } });
    await gateway.chatLogs.flush();
    expect(await t.db.chatLog.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBeGreaterThanOrEqual(0);
  });

  it("keeps no log for an organization that opted out of data collection", async () => {
    const { org, client } = await orgClient();
    await t.db.organization.update({ where: { id: org.id }, data: { dataCollectionOptOut: true } });
    await gateway.organizationChangesApplied();
    await ask(client, "nothing of this either");
    await gateway.chatLogs.flush();
    expect(await t.db.chatLog.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("logs streamed answers too", async () => {
    const { org, client } = await orgClient();
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "stream me" }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // drain
    }
    await new Promise((resolve) => setTimeout(resolve, 20)); // the stream's end callback runs after the last byte
    await gateway.chatLogs.flush();
    expect(await t.db.chatLog.count({ where: { organizationId: org.id } })).toBe(1);
  });
});
