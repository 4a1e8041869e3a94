import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createApiKey } from "./api-keys.ts";
import { createLastUsedRecorder, type LastUsedRecorder } from "./last-used-recorder.ts";
import { createOAuthClient } from "./oauth-clients.ts";

let t: TestDatabase;
const clock = fakeClock();
const pepper = "last-used-pepper-0123456789abcdef";
const deps = () => ({ db: t.db, clock, pepper });
const recorders: LastUsedRecorder[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const recorder of recorders.splice(0)) await recorder.close();
});

async function credentials(keys = 3) {
  const org = await createOrganization(deps(), { name: "L", tier: "free", actor: cliActor() });
  const apiKeys = [];
  for (let i = 0; i < keys; i++)
    apiKeys.push((await createApiKey(deps(), { organizationId: org.id, actor: cliActor() })).key);
  const { client } = await createOAuthClient(deps(), { organizationId: org.id, actor: cliActor() });
  return { apiKeys, client };
}

function recorder(options: Partial<Parameters<typeof createLastUsedRecorder>[0]> = {}) {
  const created = createLastUsedRecorder({ db: t.db, clock, flushIntervalMs: 600_000, ...options });
  recorders.push(created);
  return created;
}

const lastUsed = async (id: string) =>
  (await t.db.apiKey.findUnique({ where: { id } }))?.lastUsedAt ??
  (await t.db.oAuthClient.findUnique({ where: { id } }))?.lastUsedAt ??
  null;

describe("createLastUsedRecorder", () => {
  it("writes many uses with one UPDATE per table, keeping each credential's latest time", async () => {
    const { apiKeys, client } = await credentials();
    const uses = recorder();
    const writes = vi.spyOn(t.db, "$executeRaw");
    for (let i = 0; i < 50; i++) {
      for (const key of apiKeys) uses.recordApiKeyUse(key.id);
      uses.recordOAuthClientUse(client.id);
      clock.advance(10);
    }
    expect(uses.pending).toBe(4);
    expect(writes).not.toHaveBeenCalled();
    expect(await lastUsed(client.id)).toBeNull();

    await uses.flush();
    expect(writes).toHaveBeenCalledTimes(2);
    const latest = clock.now().getTime() - 10;
    for (const key of apiKeys) expect((await lastUsed(key.id))?.getTime()).toBe(latest);
    expect((await lastUsed(client.id))?.getTime()).toBe(latest);
    expect(uses.pending).toBe(0);
    await uses.flush();
    expect(writes).toHaveBeenCalledTimes(2); // nothing pending, nothing written
  });

  it("never moves last_used_at backwards", async () => {
    const { apiKeys } = await credentials(1);
    const id = apiKeys[0]?.id as string;
    const late = recorder();
    const early = recorder();
    early.recordApiKeyUse(id);
    clock.advance(5_000);
    late.recordApiKeyUse(id);
    await late.flush();
    await early.flush();
    expect((await lastUsed(id))?.getTime()).toBe(clock.now().getTime());
  });

  it("flushes on its timer, and on close", async () => {
    const { apiKeys, client } = await credentials(1);
    const id = apiKeys[0]?.id as string;
    let flushed: (written: { apiKeys: number; oauthClients: number }) => void = () => {};
    const timed = recorder({ flushIntervalMs: 20, onFlush: (written) => flushed(written) });
    const written = new Promise<{ apiKeys: number; oauthClients: number }>((resolve) => {
      flushed = resolve;
    });
    timed.recordApiKeyUse(id);
    expect(await written).toEqual({ apiKeys: 1, oauthClients: 0 });
    expect((await lastUsed(id))?.getTime()).toBe(clock.now().getTime());

    const closing = recorder();
    clock.advance(1_000);
    closing.recordOAuthClientUse(client.id);
    await closing.close();
    expect((await lastUsed(client.id))?.getTime()).toBe(clock.now().getTime());
    closing.recordOAuthClientUse(client.id);
    expect(closing.pending).toBe(0);
  });

  it("keeps uses whose write failed for the next flush", async () => {
    const { apiKeys } = await credentials(1);
    const id = apiKeys[0]?.id as string;
    const errors: unknown[] = [];
    const uses = recorder({ onError: (error) => errors.push(error) });
    vi.spyOn(t.db, "$executeRaw").mockRejectedValueOnce(new Error("database unavailable"));
    uses.recordApiKeyUse(id);
    await uses.flush();
    expect(errors).toHaveLength(1);
    expect(uses.pending).toBe(1);
    expect(await lastUsed(id)).toBeNull();
    await uses.flush();
    expect((await lastUsed(id))?.getTime()).toBe(clock.now().getTime());
  });
});
