import { checkMasterKeys, parseMasterKeyring, systemClock } from "@dsc/core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { JOBS } from "./jobs/index.ts";
import type { JobDefinition } from "./jobs/job-definition.ts";
import { startWorker, type WorkerHandle } from "./start-worker.ts";

let t: TestDatabase;
let worker: WorkerHandle;
const ran: unknown[] = [];
const probe: JobDefinition<{ n: number }> = {
  id: "test.probe",
  description: "records its payload",
  payload: z.object({ n: z.number() }),
  run: async (payload) => {
    ran.push(payload);
    return { seen: payload.n };
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
  worker = await startWorker({
    databaseUrl: t.url,
    responseCacheTtlMs: 0,
    jobs: [...JOBS, probe],
    db: t.db,
    clock: systemClock,
    logger: pino({ level: "silent" }),
  });
});
afterAll(() => worker.stop());

describe("worker", () => {
  it("registers every scheduled job with pg-boss", async () => {
    const schedules = await worker.boss.getSchedules();
    expect(schedules.map((s) => [s.name, s.cron])).toEqual(
      expect.arrayContaining([["retention.purge-expired-chat-logs", "*/10 * * * *"]]),
    );
    expect(schedules.map((s) => s.name)).not.toContain("test.probe");
  });

  it("runs a job sent to its queue with the validated payload", async () => {
    await worker.boss.send("test.probe", { n: 7 });
    for (let i = 0; i < 100 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ran).toEqual([{ n: 7 }]);
  });

  it("runs the retention job end to end", async () => {
    const id = await worker.boss.send("retention.purge-expired-chat-logs", {});
    let state = "";
    for (let i = 0; i < 100 && state !== "completed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await worker.boss.getJobById("retention.purge-expired-chat-logs", id ?? ""))?.state ?? "";
    }
    expect(state).toBe("completed");
  });
});

describe("worker start-up and the master keys", () => {
  const keyOf = (byte: number) => parseMasterKeyring(`1:${Buffer.alloc(32, byte).toString("base64")}`);

  it("refuses to start, naming the version, with a key that is not the database's", async () => {
    const own = await createTestDatabase();
    await checkMasterKeys({ db: own.db, clock: systemClock, keyring: keyOf(1) });
    await expect(
      startWorker({
        databaseUrl: own.url,
        responseCacheTtlMs: 0,
        jobs: JOBS,
        db: own.db,
        clock: systemClock,
        logger: pino({ level: "silent" }),
        keyring: keyOf(2),
      }),
    ).rejects.toThrow("worker not started: master key version 1 in ENCRYPTION_KEY is not the key");
  });

  it("starts with the database's key, writing its check value at the first start", async () => {
    const own = await createTestDatabase();
    const started = await startWorker({
      databaseUrl: own.url,
      responseCacheTtlMs: 0,
      jobs: [],
      db: own.db,
      clock: systemClock,
      logger: pino({ level: "silent" }),
      keyring: keyOf(1),
    });
    await started.stop();
    expect((await own.db.masterKeyCheck.findMany()).map((row) => row.version)).toEqual([1]);
  });
});
