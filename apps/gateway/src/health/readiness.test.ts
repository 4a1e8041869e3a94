import { checkMasterKeys, parseMasterKeyring, systemClock } from "@dsc/core";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

const otherKey = `1:${Buffer.alloc(32, 7).toString("base64")}`;

describe("GET /readyz and the master keys", () => {
  it("is ready on a normal start, which writes the first check value", async () => {
    const t = await createTestDatabase();
    expect(await t.db.masterKeyCheck.count()).toBe(0);
    const gateway = await startTestGateway({ db: t.db });
    try {
      const response = await fetch(`${gateway.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: "ready",
        checks: { database: "up", master_key: "up" },
      });
      expect((await t.db.masterKeyCheck.findMany()).map((row) => row.version)).toEqual([1]);
    } finally {
      await gateway.close();
    }
  });

  it("is not ready, naming the version, when ENCRYPTION_KEY is not the key the database was written with", async () => {
    const t = await createTestDatabase();
    // the database's version 1 is another key than the test gateway's
    await checkMasterKeys({ db: t.db, clock: systemClock, keyring: parseMasterKeyring(otherKey) });
    const gateway = await startTestGateway({ db: t.db });
    try {
      const response = await fetch(`${gateway.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: "unavailable",
        checks: { database: "up", master_key: "down", master_key_v1: "down" },
      });
      expect(gateway.logLines.join("")).toContain("master key version 1 in ENCRYPTION_KEY is not the key");
      const metrics = await (await gateway.scrapeMetrics()).text();
      expect(metrics).toContain("dsc_master_key_failing_versions 1");
    } finally {
      await gateway.close();
    }
  });

  it("turns unready and counts the failure when a log cannot be sealed for a master key at run time", async () => {
    const t = await createTestDatabase();
    const gateway = await startTestGateway({ db: t.db });
    try {
      const { org, secret } = await createOrgWithKey(t.db);
      // the organization's data key was wrapped by a version this gateway does not have
      await t.db.dataKey.create({
        data: {
          id: "dk_lost_version",
          organizationId: org.id,
          wrappedKey: Buffer.alloc(60),
          masterKeyVersion: 5,
        },
      });
      const client = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      await client.chat.completions.create({
        model: "deepseek-chst-1.0",
        messages: [{ role: "user", content: "hello" }],
      });
      await gateway.chatLogs.flush();

      const response = await fetch(`${gateway.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await jsonOf(response)).toMatchObject({ checks: { master_key: "down", master_key_v5: "down" } });
      const metrics = await (await gateway.scrapeMetrics()).text();
      expect(metrics).toContain("dsc_chat_log_seal_failures_total 1");
    } finally {
      await gateway.close();
    }
  });
});
