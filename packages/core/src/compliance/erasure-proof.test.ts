import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ChatCompletionRequest, ChatMessage } from "@dsc/api-client";
import { DEFAULT_MODEL_ID, type DeletionRequest } from "@dsc/db";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import {
  type DatabaseSearch,
  openDatabaseSearch,
  rowsPerTable,
} from "../../../../test/support/database-search.ts";
import { type FakeS3, startFakeS3 } from "../../../../test/support/fake-s3.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../../test/support/redis-server.ts";
import { cliActor } from "../audit/actor.ts";
import { createMemoryResponseCache } from "../cache/memory-response-cache.ts";
import { createRedisResponseCache } from "../cache/redis-response-cache.ts";
import { type ResponseCache, responseCacheKey, subjectIndexName } from "../cache/response-cache.ts";
import { createChatLogWriter } from "../chat-logs/chat-log-writer.ts";
import { readChatLogs } from "../chat-logs/read-chat-logs.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { createDiskFileStorage } from "../files/disk-file-storage.ts";
import type { FileStorage } from "../files/file-storage.ts";
import { createS3FileStorage } from "../files/s3-file-storage.ts";
import { uploadFile } from "../files/upload-file.ts";
import { maskMessages } from "../masking/mask-chat-texts.ts";
import { ALL_PII_KINDS } from "../masking/pii-masking.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createUsageWriter } from "../usage/usage-writer.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import { allSubjectErasers } from "./subject-eraser.ts";

/*
 * The proof the issue asks for: data of end users A and B of one organization and of A' (the
 * same end-user id, another organization) is written through the real code paths; A is erased
 * as the worker does it; then the whole database, the file storage and the response cache are
 * read back, without asking the code under test, to show that nothing of A remains and that
 * everything of the others does.
 */

const HOUR = 3_600_000;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 9).toString("base64"));
const actor = cliActor("erasure-proof");
/** the gateways' response-cache TTL, as the worker is told it */
const CACHE_TTL_MS = HOUR;

/** Tables the search leaves out, each for its reason; every other table is searched. */
const NOT_SEARCHED = [
  // migration bookkeeping: names and checksums of migrations, never data
  "public._prisma_migrations",
  // append-only by trigger, so nothing can be erased from it; it records the ids and hashes of
  // uploaded files, so the rows the erasure itself writes are checked on their own below
  "public.audit_event",
];

let t: TestDatabase;
let search: DatabaseSearch;
const redisTarget = await acquireTestRedis();

beforeAll(async () => {
  t = await createTestDatabase();
  search = await openDatabaseSearch(t.url, { skip: NOT_SEARCHED });
});
afterAll(async () => {
  await search?.close();
  await redisTarget?.release();
});

/** What a test can read back of a storage or a cache: names (paths, keys) and contents. */
interface StoredItem {
  name: string;
  content: string;
}

interface Backends {
  storage: FileStorage;
  cache: ResponseCache;
  /** every object as the backend keeps it, read around the FileStorage */
  readStorage(): Promise<StoredItem[]>;
  /** every cache entry and index, read around the ResponseCache */
  readCache(): Promise<StoredItem[]>;
  close(): Promise<void>;
}

async function diskStorageAndMemoryCache(): Promise<Backends> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "dsc-erasure-proof-"));
  const cache = createMemoryResponseCache({ clock });
  return {
    storage: createDiskFileStorage({ directory }),
    cache,
    readStorage: () => readFolder(directory),
    readCache: async () => cache.listEntries().map(({ key, value }) => ({ name: key, content: value })),
    close: () => rm(directory, { recursive: true, force: true }),
  };
}

async function s3StorageAndRedisCache(redisUrl: string): Promise<Backends> {
  const s3: FakeS3 = await startFakeS3();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  // the Redis may be shared with other tests: this file's keys are all under its own prefix
  const prefix = `erasure-proof:${randomBytes(6).toString("hex")}:`;
  return {
    storage: createS3FileStorage({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: "us-east-1",
      credentials: s3.credentials,
      forcePathStyle: true,
    }),
    cache: createRedisResponseCache({ redis, prefix }),
    // s3rver keeps each object (and its metadata) as files under its directory
    readStorage: () => readFolder(s3.directory),
    readCache: () => readRedis(redis, prefix),
    async close() {
      redis.disconnect();
      await s3.close();
    },
  };
}

async function readFolder(root: string): Promise<StoredItem[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (file) => {
      const full = path.join(file.parentPath, file.name);
      return { name: path.relative(root, full), content: await readFile(full, "latin1") };
    }),
  );
}

async function readRedis(redis: Redis, prefix: string): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === "string") items.push({ name: key, content: (await redis.get(key)) ?? "" });
      else if (type === "set") items.push({ name: key, content: (await redis.smembers(key)).join("\n") });
      else if (type !== "none") throw new Error(`unexpected ${type} at ${key}: teach this scan to read it`);
    }
  } while (cursor !== "0");
  return items;
}

/** One end user's data (or, with endUserId null, the organization's own), as it was sent. */
interface SeededSubject {
  organizationId: string;
  endUserId: string | null;
  /** in every message, answer, file name and file content of this subject, and nowhere else */
  tag: string;
  /** personal data in the messages, masked before anything is logged */
  email: string;
  sentMessages: ChatMessage[][];
  fileIds: string[];
  cacheHashes: string[];
}

/**
 * Two chat turns and one file of a subject, the way the gateway writes them: the answer to the
 * response cache under the request's hash, the masked turn to the encrypted log, the counts to
 * usage; the file through the upload path.
 */
async function seedSubject(
  backends: Backends,
  organizationId: string,
  endUserId: string | null,
): Promise<SeededSubject> {
  const tag = `tag${randomBytes(6).toString("hex")}`;
  const email = `${tag}.person@example.com`;
  const subject: SeededSubject = {
    organizationId,
    endUserId,
    tag,
    email,
    sentMessages: [],
    fileIds: [],
    cacheHashes: [],
  };
  const writer = createChatLogWriter({ db: t.db, clock, keyring }, { flushIntervalMs: 60_000 });
  const usage = createUsageWriter({ db: t.db, flushIntervalMs: 60_000 });
  for (const turn of [1, 2]) {
    const messages: ChatMessage[] = [
      { role: "user", content: `${tag} turn ${turn}: write to ${email} about the plan` },
    ];
    const request: ChatCompletionRequest = {
      model: DEFAULT_MODEL_ID,
      messages,
      temperature: 0,
      ...(endUserId ? { user: endUserId } : {}),
    };
    const requestId = `chatcmpl-${randomBytes(12).toString("hex")}`;
    const choices = [
      {
        index: 0,
        message: { role: "assistant" as const, content: `${tag} answer ${turn}` },
        finish_reason: "stop" as const,
      },
    ];
    const hash = responseCacheKey({ organizationId, modelId: DEFAULT_MODEL_ID, request });
    await backends.cache.set(
      { organizationId, endUserId, hash },
      JSON.stringify({ id: requestId, object: "chat.completion", model: DEFAULT_MODEL_ID, choices }),
      24 * HOUR, // outlives the clock's moves in this file, so only the erasure removes entries
    );
    writer.record({
      requestId,
      organizationId,
      apiKeyId: null,
      modelId: DEFAULT_MODEL_ID,
      endUserId,
      messages: maskMessages(messages, ALL_PII_KINDS),
      response: { choices },
      promptTokens: 7,
      completionTokens: 3,
      maskKinds: [],
      expiresAt: new Date(clock.now().getTime() + 30 * 24 * HOUR),
    });
    usage.record({
      requestId,
      organizationId,
      apiKeyId: null,
      oauthClientId: null,
      modelId: DEFAULT_MODEL_ID,
      endpoint: "/v1/chat/completions",
      status: 200,
      latencyMs: 5,
      promptTokens: 7,
      completionTokens: 3,
      cached: false,
      endUserId,
      createdAt: clock.now(),
    });
    subject.sentMessages.push(messages);
    subject.cacheHashes.push(hash);
  }
  await writer.close();
  await usage.close();

  const file = await uploadFile(
    { db: t.db, clock, storage: backends.storage },
    {
      organizationId,
      apiKeyId: null,
      actor,
      parts: (async function* () {
        yield { kind: "field" as const, name: "purpose", value: "user_data" };
        yield {
          kind: "file" as const,
          name: "file",
          filename: `${tag}-notes.txt`,
          contentType: "text/plain",
          content: (async function* () {
            yield Buffer.from(`${tag} file content`);
          })(),
        };
      })(),
    },
  );
  // the upload API takes no end user, so the files of an end user are tagged by the caller
  if (endUserId) await t.db.file.update({ where: { id: file.id }, data: { endUserId } });
  subject.fileIds.push(file.id);
  return subject;
}

/** The messages as the log keeps them: masked, as the chat route masks them. */
const sortedByText = (values: unknown[]) =>
  [...values].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

const maskedMessagesOf = (subject: SeededSubject) =>
  subject.sentMessages.map((messages) => maskMessages(messages, ALL_PII_KINDS));

/** Everything the search finds of a subject, table by table: its rows. */
async function rowsOf(needle: string) {
  return rowsPerTable(await search.find(needle));
}

const scenarios = [
  { name: "on disk storage with the in-memory cache", open: diskStorageAndMemoryCache, skip: "" },
  {
    name: "on an S3 bucket with the Redis cache",
    open: () => s3StorageAndRedisCache(redisTarget?.url ?? ""),
    skip: redisTarget ? "" : NO_REDIS_SERVER_REASON,
  },
];

for (const scenario of scenarios) {
  describe.skipIf(scenario.skip !== "")(`erasing end user A ${scenario.name} ${scenario.skip}`, () => {
    let backends: Backends;
    let org1: string;
    let org2: string;
    let a: SeededSubject;
    let b: SeededSubject;
    let aElsewhere: SeededSubject;
    let org1Own: SeededSubject;
    let request: DeletionRequest;
    const before = {
      aRows: {} as Record<string, number>,
      aTagRows: {} as Record<string, number>,
      bRows: {} as Record<string, number>,
      bTagRows: {} as Record<string, number>,
      org2Rows: {} as Record<string, number>,
      org1OwnLogs: 0,
      storage: [] as StoredItem[],
      cache: [] as StoredItem[],
    };

    beforeAll(async () => {
      backends = await scenario.open();
      org1 = (await createOrganization({ db: t.db, clock }, { name: "Proof One", tier: "free", actor })).id;
      org2 = (await createOrganization({ db: t.db, clock }, { name: "Proof Two", tier: "free", actor })).id;
      const endUserA = `end-user-${randomBytes(6).toString("hex")}`;
      a = await seedSubject(backends, org1, endUserA);
      b = await seedSubject(backends, org1, `end-user-${randomBytes(6).toString("hex")}`);
      aElsewhere = await seedSubject(backends, org2, endUserA); // same id, another organization
      org1Own = await seedSubject(backends, org1, null);

      before.aRows = rowsPerTable((await search.find(endUserA)).filter((hit) => !hit.row.includes(org2)));
      before.aTagRows = await rowsOf(a.tag);
      before.bRows = await rowsOf(b.endUserId as string);
      before.bTagRows = await rowsOf(b.tag);
      before.org2Rows = await rowsOf(org2);
      before.org1OwnLogs = await t.db.chatLog.count({ where: { organizationId: org1, endUserId: null } });
      before.storage = await backends.readStorage();
      before.cache = await backends.readCache();

      ({ request } = await requestDeletion(
        { db: t.db, clock },
        { organizationId: org1, subjectType: "END_USER", subjectId: endUserA, actor },
      ));
      clock.advance(HOUR);
      const erasers = allSubjectErasers({
        db: t.db,
        clock,
        storage: backends.storage,
        cache: backends.cache,
        cacheTtlMs: CACHE_TTL_MS,
      });
      expect(await processDeletionRequests({ db: t.db, clock, erasers })).toMatchObject({ waiting: 1 });
      // no gateway confirms the purge of its memory: it completes once their entries have expired
      clock.advance(CACHE_TTL_MS);
      expect(await processDeletionRequests({ db: t.db, clock, erasers })).toMatchObject({ completed: 1 });
    });
    afterAll(async () => {
      await backends?.close();
    });

    it("saw A everywhere before (the searches below can fail)", () => {
      expect(before.aRows).toEqual({
        "public.chat_log": 2,
        "public.data_key": 1,
        "public.usage_event": 2,
        // the usage roll-up by end user: a minute, an hour and a day row
        "public.usage_rollup_end_user": 3,
        "public.file": 1,
      });
      expect(before.aTagRows).toEqual({ "public.file": 1 }); // the file name; messages are encrypted
      const aFile = a.fileIds[0] as string;
      expect(before.storage.some((item) => item.name.includes(aFile))).toBe(true);
      expect(before.storage.some((item) => item.content.includes(a.tag))).toBe(true);
      expect(before.cache.filter((item) => item.content.includes(a.tag))).toHaveLength(2);
      for (const hash of a.cacheHashes)
        expect(before.cache.some((item) => item.name.includes(hash))).toBe(true);
    });

    it("leaves nothing of A in any table but the record of the request itself", async () => {
      const aHits = (await search.find(a.endUserId as string)).filter((hit) => !hit.row.includes(org2));
      // the request names its subject (in its column and its report): the proof of what was done
      expect(aHits.map(({ table, columns }) => ({ table, columns }))).toEqual([
        { table: "public.deletion_request", columns: ["subject_id", "report"] },
      ]);
      expect(aHits[0]?.row).toContain(request.id);
      for (const needle of [a.tag, a.email, ...a.fileIds]) expect(await search.find(needle)).toEqual([]);
      // usage rows stay (they are counts) without the end user
      expect(await t.db.usageEvent.count({ where: { organizationId: org1, endUserId: null } })).toBe(4);
    });

    it("keeps every row of B, of A' in the other organization and of the organization itself", async () => {
      expect(await rowsOf(b.endUserId as string)).toEqual(before.bRows);
      expect(await rowsOf(b.tag)).toEqual(before.bTagRows);
      expect(await rowsOf(org2)).toEqual(before.org2Rows);
      expect(before.bRows).toMatchObject({ "public.chat_log": 2, "public.data_key": 1, "public.file": 1 });
      expect(before.org2Rows).toMatchObject({ "public.chat_log": 2, "public.organization": 1 });
      expect(await t.db.chatLog.count({ where: { organizationId: org1, endUserId: null } })).toBe(
        before.org1OwnLogs,
      );
    });

    it("leaves their logs readable, and none of A's", async () => {
      // the turns share one timestamp (the clock stands still), so their order is not defined
      const read = async (organizationId: string, endUserId: string) =>
        sortedByText(
          (
            await readChatLogs(
              { db: t.db, clock, keyring },
              { organizationId, endUserId, actor, purpose: "proof" },
            )
          ).map((log) => log.messages),
        );
      expect(await read(org1, b.endUserId as string)).toEqual(sortedByText(maskedMessagesOf(b)));
      expect(await read(org2, aElsewhere.endUserId as string)).toEqual(
        sortedByText(maskedMessagesOf(aElsewhere)),
      );
      expect(await read(org1, a.endUserId as string)).toEqual([]);
    });

    it("leaves no object of A in the storage, and every other", async () => {
      const stored = await backends.readStorage();
      for (const fileId of a.fileIds) expect(stored.filter((item) => item.name.includes(fileId))).toEqual([]);
      expect(stored.filter((item) => item.content.includes(a.tag))).toEqual([]);
      for (const other of [b, aElsewhere, org1Own]) {
        expect(stored.some((item) => item.name.includes(other.fileIds[0] as string))).toBe(true);
        expect(stored.some((item) => item.content.includes(`${other.tag} file content`))).toBe(true);
      }
    });

    it("leaves no cached answer of A, nor A in any index, and every other answer", async () => {
      const cached = await backends.readCache();
      const aIndex = subjectIndexName({ organizationId: org1, endUserId: a.endUserId });
      for (const needle of [a.tag, ...a.cacheHashes]) {
        expect(cached.filter((item) => item.name.includes(needle) || item.content.includes(needle))).toEqual(
          [],
        );
      }
      expect(cached.filter((item) => item.name.includes(`{${org1}}:subject:${aIndex}`))).toEqual([]);
      for (const other of [b, aElsewhere, org1Own]) {
        expect(cached.filter((item) => item.content.includes(`${other.tag} answer`))).toHaveLength(2);
      }
    });

    it("reports what it erased, with the SHA-256 of the report exactly as stored", async () => {
      const client = new pg.Client({ connectionString: t.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ status: string; report: string; report_sha256: string }>(
          "SELECT status, report::text AS report, report_sha256 FROM deletion_request WHERE id = $1",
          [request.id],
        );
        const stored = rows[0];
        expect(stored?.status).toBe("COMPLETED");
        expect(
          createHash("sha256")
            .update(stored?.report ?? "")
            .digest("hex"),
        ).toBe(stored?.report_sha256);
        expect(JSON.parse(stored?.report ?? "{}")).toMatchObject({
          requestId: request.id,
          subject: { type: "END_USER", id: a.endUserId, organizationId: org1 },
          erased: {
            chat_logs: 2,
            files: 1,
            cache_entries: 2,
            usage_identities: 2,
            usage_dead_letters: 0,
            accounts: 0,
          },
        });

        // the audit rows of the erasure name the request, never the person or their data
        const { rows: audit } = await client.query<{ action: string; row: string }>(
          "SELECT action, a::text AS row FROM audit_event a WHERE target_id = $1 ORDER BY id",
          [request.id],
        );
        expect(audit.map((row) => row.action)).toEqual([
          "deletion_request.create",
          "deletion_request.complete",
        ]);
        for (const needle of [a.endUserId as string, a.tag, a.email, ...a.fileIds, ...a.cacheHashes]) {
          expect(audit.filter((row) => row.row.includes(needle))).toEqual([]);
        }
      } finally {
        await client.end();
      }
    });
  });
}
