import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  createDiskFileStorage,
  createProviderRegistry,
  createRedisResponseCache,
  type MemoryResponseCache,
  type ProviderRegistry,
  unwrap,
} from "@dsc/core";
import { DEFAULT_MODEL_ID } from "@dsc/db";
import { Redis } from "ioredis";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCustomTier } from "../apps/gateway/src/testing/custom-tier.ts";
import {
  createOrgWithKey,
  startTestGateway,
  TEST_KEYRING,
} from "../apps/gateway/src/testing/start-test-gateway.ts";
import { processDeletionRequestsJob } from "../apps/worker/src/jobs/process-deletion-requests.ts";
import { subjectIndexName } from "../packages/core/src/cache/response-cache.ts";
import { openCacheEntry } from "../packages/core/src/cache/sealed-cache-entry.ts";
import { createTestDatabase, fakeClock, type TestDatabase } from "./support/database.ts";
import {
  completion,
  completionChunk,
  type FakeUpstream,
  type Responder,
  sseEvents,
  startFakeUpstream,
} from "./support/fake-upstream.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "./support/redis-server.ts";

/*
 * Issue 16's "nothing survives", in one place. Two end users of one organization (erin, frank)
 * and one of another (gina) talk to a real gateway: a cached answer (asked twice: a miss, then a
 * hit), a streamed answer, an uploaded file; erin also one answer whose usage the database
 * refuses (an upstream's absurd token count: a dead letter) and one late turn, recorded before
 * her erasure started and written after it. Her erasure is asked for through the API and done by
 * the worker's job code. Before and after, everything is searched for her id and for a text of
 * hers: every table of the database (read from information_schema, each row cast to text), the
 * file storage's folder, and the response cache (Redis keys and values, or the gateway's memory).
 * Before, the searches find her, which shows they can; after, they find nothing of her but the
 * request that erased her, and still everything of frank and gina.
 *
 * The cache keeps no id and no text in clear: its keys hold hashes (an end user's index is named
 * by a SHA-256 of the id) and its values are sealed under the end user's data key. So it is
 * searched for her id as it writes it (her index's name, and any entry sealed under her key) and
 * for her text as it holds it: each value is opened with her data key as it was before the
 * erasure, which the test kept.
 */

const HOUR = 3_600_000;
const CACHE_TTL_MS = HOUR;
/** a text in a prompt that makes the fake upstream report a token count no column can hold */
const ABSURD_USAGE = "please count absurdly";

let t: TestDatabase;
const redisTarget = await acquireTestRedis();

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await redisTarget?.release();
});

/** Answers as an OpenAI-compatible model: the question echoed, streamed when asked. */
const echoingModel: Responder = (response, request) => {
  const messages = request.body.messages as { content: string }[];
  const question = messages.at(-1)?.content ?? "";
  const answer = `you said: ${question}`;
  if (request.body.stream === true) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    for (const event of sseEvents([completionChunk(answer), completionChunk("", "stop")]))
      response.write(event);
    response.end("data: [DONE]\n\n");
    return;
  }
  const body = completion(answer);
  if (question.includes(ABSURD_USAGE)) {
    body.usage = { prompt_tokens: 10 ** 15, completion_tokens: 1, total_tokens: 10 ** 15 + 1 };
  }
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
};

/** An end user and what is theirs only: the tag is in every message and file of theirs. */
interface EndUser {
  id: string;
  tag: string;
  organizationId: string;
  secret: string;
  /** their data key as it was before the erasure, to open cache entries sealed under it */
  dataKey: Buffer | null;
}

/** What the search found of a needle, per place. */
interface Found {
  /** `schema.table` of each row that holds it */
  tables: string[];
  storage: string[];
  cache: string[];
}

interface CacheItem {
  key: string;
  value: string;
}

const scenarios = [
  { name: "in the gateway's memory", redis: false, skip: "" },
  { name: "in Redis", redis: true, skip: redisTarget ? "" : NO_REDIS_SERVER_REASON },
];

for (const scenario of scenarios) {
  describe.skipIf(scenario.skip !== "")(
    `an erased end user, with the response cache ${scenario.name}`,
    () => {
      let upstream: FakeUpstream;
      let providers: ProviderRegistry;
      let storageDir: string;
      let gateway: Awaited<ReturnType<typeof startTestGateway>>;
      let redis: Redis | null = null;
      const redisPrefix = `nothing-survives:${randomBytes(6).toString("hex")}:`;
      let erin: EndUser;
      let frank: EndUser;
      let gina: EndUser;
      let calls = 0;
      let requestId = "";
      let lateRequestId = "";
      const before = new Map<string, Found>();
      const after = new Map<string, Found>();

      async function call(
        user: EndUser,
        method: string,
        route: string,
        body?: string | FormData,
        type?: string,
      ) {
        calls += 1;
        const response = await fetch(`${gateway.url}${route}`, {
          method,
          headers: { authorization: `Bearer ${user.secret}`, ...(type ? { "content-type": type } : {}) },
          ...(body === undefined ? {} : { body }),
        });
        const text = await response.text();
        expect(response.status, `${method} ${route}: ${text}`).toBeLessThan(300);
        return { status: response.status, headers: response.headers, text };
      }

      const chat = (user: EndUser, content: string, extra: Record<string, unknown>) =>
        call(
          user,
          "POST",
          "/v1/chat/completions",
          JSON.stringify({
            model: DEFAULT_MODEL_ID,
            user: user.id,
            messages: [{ role: "user", content }],
            ...extra,
          }),
          "application/json",
        );

      /** A cached answer (a miss, then a hit), a streamed one, and an uploaded file. */
      async function converse(user: EndUser) {
        const first = await chat(user, `${user.tag} what is the plan?`, { temperature: 0 });
        expect(first.headers.get("x-cache")).toBe("miss");
        await gateway.metering.whenMetered(calls); // the answer is stored once it was sent
        const again = await chat(user, `${user.tag} what is the plan?`, { temperature: 0 });
        expect(again.headers.get("x-cache")).toBe("hit");
        await chat(user, `${user.tag} tell me more`, { stream: true });
        const form = new FormData();
        form.append("purpose", "user_data");
        form.append("user", user.id);
        form.append("file", new Blob([`${user.tag} notes of the file`]), `${user.tag}-notes.txt`);
        await call(user, "POST", "/v1/files", form);
      }

      /** Everything metered and logged so far is in the database. */
      async function writtenOut() {
        await gateway.metering.whenMetered(calls);
        await gateway.metering.usage.flush();
        await gateway.chatLogs.flush();
      }

      /** Every key and value of the cache, read around its interface. */
      async function readCache(): Promise<CacheItem[]> {
        if (redis) return readRedis(redis, redisPrefix);
        const cache = gateway.metering.cache as MemoryResponseCache;
        expect(cache.kind).toBe("memory");
        return cache.listEntries();
      }

      /** Where `needle` is; in the cache, what names the end user or opens with their key and holds it. */
      async function find(user: EndUser, needle: string, isId: boolean): Promise<Found> {
        const storage = await readFolder(storageDir);
        const cache = await readCache();
        // how the cache writes an end user's id: a hash of it names their index of entries
        const cacheIndex = `subject:${subjectIndexName({ organizationId: user.organizationId, endUserId: user.id })}`;
        const inCache = (item: CacheItem) => {
          if (item.key.includes(needle) || item.value.includes(needle)) return true;
          if (isId && item.key.endsWith(cacheIndex)) return true;
          const opened = openedWith(user, item);
          // sealed under the end user's own key, an entry is theirs
          return opened !== null && (isId || opened.includes(needle));
        };
        return {
          tables: (await searchDatabase(t.url, needle)).map((hit) => hit.table).sort(),
          storage: storage
            .filter((item) => item.name.includes(needle) || item.content.includes(needle))
            .map((item) => item.name),
          cache: cache
            .filter(inCache)
            .map((item) => item.key)
            .sort(),
        };
      }

      /** The searches of one end user: their id and their tag. */
      async function findEverywhere(user: EndUser, into: Map<string, Found>) {
        into.set(`${user.id}:id`, await find(user, user.id, true));
        into.set(`${user.id}:text`, await find(user, user.tag, false));
      }

      /** What the database holds of one request: its logged turns, and its usage rows' end user. */
      async function writtenRowsOf(id: string) {
        const usage = await t.db.usageEvent.findMany({
          where: { requestId: id },
          select: { endUserId: true },
        });
        return {
          chatLogs: await t.db.chatLog.count({ where: { requestId: id } }),
          usage: usage.map((row) => row.endUserId),
        };
      }

      async function dataKeyOf(user: EndUser): Promise<Buffer | null> {
        const row = await t.db.dataKey.findFirst({
          where: { organizationId: user.organizationId, endUserId: user.id, destroyedAt: null },
        });
        return row ? unwrap(TEST_KEYRING, row) : null;
      }

      beforeAll(async () => {
        upstream = await startFakeUpstream(echoingModel);
        providers = createProviderRegistry({
          defaultUpstream: { baseUrl: upstream.baseUrl, apiKey: null, model: "upstream-model" },
          timeouts: { connectMs: 1_000, firstByteMs: 5_000, totalMs: 10_000 },
          retries: { attempts: 1 },
        });
        storageDir = await mkdtemp(path.join(os.tmpdir(), "dsc-nothing-survives-"));
        if (scenario.redis) redis = new Redis(redisTarget?.url ?? "", { maxRetriesPerRequest: 1 });
        gateway = await startTestGateway({
          db: t.db,
          providers,
          fileStorage: createDiskFileStorage({ directory: storageDir }),
          // turns and usage are written when the test says, so that one can be late
          chatLogFlushMs: 60_000,
          metering: {
            responseCacheTtlMs: CACHE_TTL_MS,
            usageFlushIntervalMs: 60_000,
            ...(scenario.redis ? { redisUrl: redisTarget?.url ?? null, redisPrefix } : {}),
          },
        });
        // no token limits: the absurd count would hold the organization's next calls back
        const tier = await createCustomTier(t.db, { requestsPerMinute: 1_000 });
        const scopes = ["chat", "files", "users:delete"];
        const first = await createOrgWithKey(t.db, { tier, scopes });
        const second = await createOrgWithKey(t.db, { tier, scopes });
        const endUser = (name: string, org: typeof first): EndUser => ({
          id: `${name}-${randomBytes(6).toString("hex")}`,
          tag: `${name}-says-${randomBytes(6).toString("hex")}`,
          organizationId: org.org.id,
          secret: org.secret,
          dataKey: null,
        });
        erin = endUser("erin", first);
        frank = endUser("frank", first);
        gina = endUser("gina", second);

        for (const user of [erin, frank, gina]) await converse(user);
        await chat(erin, `${erin.tag} ${ABSURD_USAGE}`, {});
        await writtenOut();
        expect(await t.db.usageDeadLetter.count({ where: { organizationId: erin.organizationId } })).toBe(1);
        // the late turn: recorded now, written only after the erasure has started
        const late = await chat(erin, `${erin.tag} one more thing`, { temperature: 0.7 });
        lateRequestId = late.headers.get("x-request-id") ?? "";
        expect(lateRequestId).not.toBe("");
        await gateway.metering.whenMetered(calls);

        for (const user of [erin, frank, gina]) user.dataKey = await dataKeyOf(user);
        for (const user of [erin, frank, gina]) await findEverywhere(user, before);

        const deletion = await call(erin, "DELETE", `/v1/users/${encodeURIComponent(erin.id)}`);
        expect(deletion.status).toBe(202);
        requestId = (JSON.parse(deletion.text) as { id: string }).id;

        // the worker, as apps/worker runs it: Redis when the gateways share it, else none of its own
        const workerClock = fakeClock(new Date());
        const workerRedis = scenario.redis
          ? new Redis(redisTarget?.url ?? "", { maxRetriesPerRequest: 1 })
          : null;
        const deps = {
          db: t.db,
          clock: workerClock,
          logger: pino({ level: "silent" }),
          fileStorage: createDiskFileStorage({ directory: storageDir }),
          keyring: TEST_KEYRING,
          responseCache: workerRedis
            ? createRedisResponseCache({ redis: workerRedis, prefix: redisPrefix })
            : null,
          responseCacheTtlMs: CACHE_TTL_MS,
        };
        try {
          expect(await processDeletionRequestsJob.run({}, deps)).toMatchObject({ waiting: 1, failed: 0 });
          // the gateway hears the purge broadcast (its memory cache is what the wait is for otherwise)
          await vi.waitFor(
            async () =>
              expect((await readCache()).filter((item) => openedWith(erin, item) !== null)).toEqual([]),
            { timeout: 5_000 },
          );
          // the late turn and its usage reach the database now, after the erasure started
          expect(await writtenRowsOf(lateRequestId)).toEqual({ chatLogs: 0, usage: [] });
          await gateway.metering.usage.flush();
          await gateway.chatLogs.flush();
          // its usage is written (the counts stay) without her id; her turn is dropped
          expect(await writtenRowsOf(lateRequestId)).toEqual({ chatLogs: 0, usage: [null] });
          expect(
            gateway.logLines.some((line) =>
              line.includes("chat logs dropped: their subject's erasure has started"),
            ),
          ).toBe(true);
          workerClock.advance(CACHE_TTL_MS);
          expect(await processDeletionRequestsJob.run({}, deps)).toMatchObject({ completed: 1, failed: 0 });
        } finally {
          workerRedis?.disconnect();
        }
        for (const user of [erin, frank, gina]) await findEverywhere(user, after);
      }, 120_000);

      afterAll(async () => {
        await gateway?.close();
        await providers?.close();
        await upstream?.close();
        redis?.disconnect();
        if (storageDir) await rm(storageDir, { recursive: true, force: true });
      });

      it("found erin everywhere before, so the searches can find her", () => {
        const id = before.get(`${erin.id}:id`);
        expect(id?.tables).toEqual(
          expect.arrayContaining([
            "public.chat_log",
            "public.data_key",
            "public.file",
            "public.usage_dead_letter",
            "public.usage_event",
          ]),
        );
        expect(id?.storage).toEqual([]); // objects are named by the file's id
        // her cached answer (and in Redis, her index of entries)
        expect(id?.cache).toHaveLength(scenario.redis ? 2 : 1);
        const text = before.get(`${erin.id}:text`);
        expect(text?.tables).toEqual(["public.file"]); // the file's name; the messages are sealed
        expect(text?.storage).toHaveLength(1); // the file's bytes
        expect(text?.cache).toHaveLength(1); // the cached answer, opened with her data key
      });

      it("finds nothing of erin after, but the request that erased her", async () => {
        const id = after.get(`${erin.id}:id`);
        expect(id).toEqual({ tables: ["public.deletion_request"], storage: [], cache: [] });
        const hits = await searchDatabase(t.url, erin.id);
        expect(hits).toHaveLength(1);
        expect(hits[0]?.row).toContain(requestId);
        expect(after.get(`${erin.id}:text`)).toEqual({ tables: [], storage: [], cache: [] });
      });

      it("still finds frank and gina where they were", () => {
        for (const user of [frank, gina]) {
          expect(after.get(`${user.id}:id`)).toEqual(before.get(`${user.id}:id`));
          expect(after.get(`${user.id}:text`)).toEqual(before.get(`${user.id}:text`));
          expect(before.get(`${user.id}:id`)?.tables).toEqual(
            expect.arrayContaining([
              "public.chat_log",
              "public.data_key",
              "public.file",
              "public.usage_event",
            ]),
          );
          expect(before.get(`${user.id}:text`)?.cache).toHaveLength(1);
          expect(before.get(`${user.id}:text`)?.storage).toHaveLength(1);
        }
      });
    },
  );
}

/** Each row of every table that holds `needle`, as PostgreSQL renders the row. */
async function searchDatabase(url: string, needle: string): Promise<{ table: string; row: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2`,
    );
    expect(tables.length).toBeGreaterThan(20); // the search reads the real schema
    // binary columns render as hex: their bytes are searched as the needle's hex too
    const hex = Buffer.from(needle, "utf8").toString("hex");
    const hits: { table: string; row: string }[] = [];
    for (const table of tables) {
      const name = `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`;
      const { rows } = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM ${name} t WHERE strpos(t::text, $1) > 0 OR strpos(t::text, $2) > 0`,
        [needle, hex],
      );
      for (const { row } of rows) hits.push({ table: `${table.schema}.${table.name}`, row });
    }
    return hits;
  } finally {
    await client.end();
  }
}

/** Every file below a folder (the storage's), read around the storage: its name and its bytes. */
async function readFolder(root: string): Promise<{ name: string; content: string }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return { name: path.relative(root, full), content: await readFile(full, "latin1") };
      }),
  );
}

/** Every key under the prefix and its value as text, read around the cache. */
async function readRedis(redis: Redis, prefix: string): Promise<CacheItem[]> {
  const items: CacheItem[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    for (const key of keys) items.push({ key, value: await readRedisValue(redis, key) });
  } while (cursor !== "0");
  return items;
}

/** A cache value opened with an end user's data key (as it was before the erasure); null if it does not open. */
function openedWith(user: EndUser, item: CacheItem): string | null {
  const match = /cache:\{([^}]+)\}:([0-9a-f]{64})$/.exec(item.key);
  if (!match?.[1] || !match[2] || !user.dataKey) return null;
  const ref = { organizationId: match[1], endUserId: user.id, hash: match[2] };
  return openCacheEntry(user.dataKey, ref, item.value);
}

/** A Redis value as text, whatever its type; a type the search cannot read fails it. */
async function readRedisValue(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  switch (type) {
    case "string":
      return (await redis.get(key)) ?? "";
    case "set":
      return (await redis.smembers(key)).join("\n");
    case "hash":
      return JSON.stringify(await redis.hgetall(key));
    case "zset":
      return (await redis.zrange(key, "0", "-1", "WITHSCORES")).join("\n");
    case "list":
      return (await redis.lrange(key, 0, -1)).join("\n");
    case "none":
      return ""; // expired between the scan and the read
    default:
      throw new Error(`unexpected ${type} at ${key}: teach this search to read it`);
  }
}
