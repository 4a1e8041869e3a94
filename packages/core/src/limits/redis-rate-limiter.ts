import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Clock } from "../time/clock.ts";
import {
  type BucketState,
  evaluateCharges,
  type LimitCheck,
  type LimitVerdict,
  type QuotaStatus,
  type RateLimiter,
  type RateLimitRule,
} from "./rate-limiter.ts";
import { writeTurnNow } from "./redis-connection.ts";

// The bucket state as stored: "level:at" (units with six decimals, ms); drained as gcra() does.
const DRAINED_LEVEL = `
local function drained(stored, now, limit, window)
  if not stored then return 0 end
  local level, at = string.match(stored, "^([^:]+):(.+)$")
  return math.max(0, tonumber(level) - (math.max(0, now - tonumber(at)) * limit) / window)
end
local function store(key, level, now, limit, window)
  if level > 0 then
    redis.call("SET", key, string.format("%.6f:%.0f", level, now), "PX", math.max(1, math.ceil(level * window / limit)))
  else
    redis.call("DEL", key)
  end
end
`;

/*
 * The checks of one turn of the event loop as one script, so that each is atomic and a turn's
 * checks cost one round trip. They are decided in order, each seeing what the ones before it
 * spent, as if sent one by one. The arithmetic is gcra()'s, step for step; the script returns the
 * states it read so that the client derives the same decisions. A bucket expires when it has
 * drained.
 *
 * KEYS: for each check, its n bucket keys, then its quota counter when it has a quota limit.
 * ARGV: now (ms), the number of checks, then for each check: n, its quota limit or "", the tokens
 * to add to the quota counter when the check passes (its reservation), then limit, windowMs,
 * cost for each bucket.
 * Returns, for each check: { allowed "1"/"0", quota state, quota used, state_1 … state_n } ("" for
 * none).
 */
const CHECK_SCRIPT = `${DRAINED_LEVEL}
local now = tonumber(ARGV[1])
local function decide(k, a)
  local n = tonumber(ARGV[a])
  local quotaKey = KEYS[k + n]
  local quotaState, quotaUsed = "none", ""
  if ARGV[a + 1] ~= "" then
    local used = redis.call("GET", quotaKey)
    if not used then return { "0", "unseeded", "" } end
    quotaUsed = used
    if tonumber(used) >= tonumber(ARGV[a + 1]) then quotaState = "exhausted" else quotaState = "ok" end
  end
  local allowed = quotaState ~= "exhausted"
  local read, after = {}, {}
  for i = 1, n do
    local b = a + i * 3
    local limit, window, cost = tonumber(ARGV[b]), tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
    local stored = redis.call("GET", KEYS[k + i - 1])
    read[i] = stored or ""
    after[i] = drained(stored, now, limit, window) + cost
    if cost > limit or after[i] > limit + 0.000001 then allowed = false end
  end
  if allowed then
    for i = 1, n do
      local b = a + i * 3
      store(KEYS[k + i - 1], after[i], now, tonumber(ARGV[b]), tonumber(ARGV[b + 1]))
    end
    local reserve = tonumber(ARGV[a + 2])
    if quotaState == "ok" and reserve > 0 then redis.call("INCRBY", quotaKey, reserve) end
  end
  return { allowed and "1" or "0", quotaState, quotaUsed, unpack(read) }
end
local verdicts = {}
local k, a = 1, 3
for c = 1, tonumber(ARGV[2]) do
  local n = tonumber(ARGV[a])
  verdicts[c] = decide(k, a)
  k = k + n + (ARGV[a + 1] ~= "" and 1 or 0)
  a = a + 3 + n * 3
end
return verdicts
`;

/*
 * Corrections after the fact (adjustedState(), step for step), and the quota counters'
 * increments when a counter exists (a missing one is seeded from the database on the next
 * check). KEYS: n bucket keys, then m quota counters.
 * ARGV: now, n, m, then limit, windowMs, delta for each bucket, then the delta of each counter.
 */
const ADJUST_SCRIPT = `${DRAINED_LEVEL}
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local m = tonumber(ARGV[3])
for i = 1, n do
  local limit, window, delta = tonumber(ARGV[i * 3 + 1]), tonumber(ARGV[i * 3 + 2]), tonumber(ARGV[i * 3 + 3])
  local level = math.max(0, drained(redis.call("GET", KEYS[i]), now, limit, window) + delta)
  store(KEYS[i], level, now, limit, window)
end
for j = 1, m do
  if redis.call("EXISTS", KEYS[n + j]) == 1 then redis.call("INCRBY", KEYS[n + j], ARGV[n * 3 + 3 + j]) end
end
return 1
`;

interface Script {
  lua: string;
  sha: string;
}

const script = (lua: string): Script => ({ lua, sha: createHash("sha1").update(lua).digest("hex") });
const CHECK = script(CHECK_SCRIPT);
const ADJUST = script(ADJUST_SCRIPT);

/** Checks made in one turn, in order, as the script takes them. */
interface BatchOfChecks {
  keys: string[];
  /** the script's arguments; the first two (the time, the number of checks) are set when it is sent */
  args: (string | number)[];
  count: number;
  /** each check's part of the script's reply, once it has answered */
  replies: string[][];
  /** the time the checks were decided at */
  now: number;
}

/** Corrections made in one turn, merged per key. */
interface BatchOfAdjustments {
  buckets: Map<string, { rule: RateLimitRule; delta: number }>;
  counters: Map<string, number>;
}

/**
 * The most checks, or corrected keys, one script takes: a turn that gathers more sends more
 * scripts, so that none holds the Redis server (which runs a script to its end) for long.
 */
const MAX_BATCH = 64;

export interface RedisRateLimiterOptions {
  redis: Redis;
  clock: Clock;
  /** namespace of every key this limiter writes (default "dsc:") */
  prefix?: string;
}

/**
 * GCRA buckets and quota counters in Redis, shared by every gateway instance. What one turn of the
 * event loop asks for is gathered and sent when the turn ends (setImmediate): the turn's checks as
 * one EVALSHA of a Lua script, its corrections as another, so that the requests a busy gateway
 * reads together cost it a round trip or two instead of two each (EVAL when the server does not
 * know a script yet, e.g. after a restart or SCRIPT FLUSH). A script takes keys of many
 * organizations, which one Redis server allows; on Redis Cluster the batches would have to be
 * split by slot (the keys carry the organization's hash tag, `{org_…}`, for that). Time comes from
 * the instance's clock, so instances need synchronized clocks (NTP): skew of d ms shifts a
 * decision by d ms.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { redis, clock } = options;
  const prefix = options.prefix ?? "dsc:";

  const run = async (script: Script, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
      // the server lost its script cache: EVAL sends the source once and caches it again
      return redis.eval(script.lua, keys.length, ...keys, ...args);
    }
  };

  const sendChecks = async (batch: BatchOfChecks): Promise<void> => {
    batch.now = clock.now().getTime();
    batch.args[0] = batch.now;
    batch.args[1] = batch.count;
    batch.replies = (await run(CHECK, batch.keys, batch.args)) as string[][];
  };

  /**
   * One batch of corrections as one script. Merging per key is exact for the counters (sums) and,
   * for a bucket, the same as applying the additions before the refunds: one of the orders in
   * which concurrent settlements may land anyway.
   */
  const sendAdjustments = async ({ buckets, counters }: BatchOfAdjustments): Promise<void> => {
    const bucketKeys: string[] = [];
    const counterKeys: string[] = [];
    const bucketArgs: number[] = [];
    const counterArgs: number[] = [];
    for (const [key, { rule, delta }] of buckets) {
      if (delta === 0) continue;
      bucketKeys.push(key);
      bucketArgs.push(rule.limit, rule.windowMs, delta);
    }
    for (const [key, delta] of counters) {
      if (delta === 0) continue;
      counterKeys.push(key);
      counterArgs.push(delta);
    }
    if (bucketKeys.length === 0 && counterKeys.length === 0) return;
    const now = clock.now().getTime();
    await run(
      ADJUST,
      [...bucketKeys, ...counterKeys],
      [now, bucketKeys.length, counterKeys.length, ...bucketArgs, ...counterArgs],
    );
  };

  const checks = gatherPerTurn(
    (): BatchOfChecks => ({ keys: [], args: [0, 0], count: 0, replies: [], now: 0 }),
    (batch) => batch.count >= MAX_BATCH,
    sendChecks,
  );
  const adjustments = gatherPerTurn(
    (): BatchOfAdjustments => ({ buckets: new Map(), counters: new Map() }),
    (batch) => batch.buckets.size + batch.counters.size >= MAX_BATCH,
    sendAdjustments,
  );

  return {
    async check(check) {
      const { batch, sent } = checks.current();
      const index = batch.count++;
      for (const charge of check.charges) batch.keys.push(prefix + charge.key);
      if (check.quota) batch.keys.push(prefix + check.quota.key);
      batch.args.push(
        check.charges.length,
        check.quota ? check.quota.limit : "",
        Math.max(0, Math.round(check.quota?.reserve ?? 0)),
      );
      for (const charge of check.charges)
        batch.args.push(charge.rule.limit, charge.rule.windowMs, charge.cost);
      await sent;
      return verdictOf(batch.replies[index] as string[], batch.now, check);
    },

    adjust(charges, quota) {
      const changed = charges.filter((charge) => charge.cost !== 0);
      const counter = quota && quota.delta !== 0 ? quota : null;
      if (changed.length === 0 && !counter) return Promise.resolve();
      const { batch, sent } = adjustments.current();
      for (const charge of changed) {
        const key = prefix + charge.key;
        const bucket = batch.buckets.get(key);
        if (bucket) {
          bucket.delta += charge.cost;
          bucket.rule = charge.rule; // a tier changed meanwhile: its latest rule
        } else batch.buckets.set(key, { rule: charge.rule, delta: charge.cost });
      }
      if (counter) {
        const key = prefix + counter.key;
        batch.counters.set(key, (batch.counters.get(key) ?? 0) + Math.round(counter.delta));
      }
      return sent;
    },

    async seedQuota(key, used, ttlMs) {
      await redis.set(prefix + key, Math.round(used), "PX", Math.max(1, Math.ceil(ttlMs)), "NX");
    },
  };

  /**
   * What the calls of this turn of the event loop ask for: the current batch, and once it is full
   * a new one. When the turn ends every batch is sent as it stands, each settling its own promise
   * (a batch that fails fails only its own callers, which then fall back).
   */
  function gatherPerTurn<Batch>(
    newBatch: () => Batch,
    isFull: (batch: Batch) => boolean,
    send: (batch: Batch) => Promise<void>,
  ): { current(): { batch: Batch; sent: Promise<void> } } {
    type Gathered = { batch: Batch; sent: Promise<void>; settle: () => void };
    let turn: Gathered[] = [];
    const sendTurn = () => {
      const gathered = turn;
      turn = [];
      for (const { settle } of gathered) settle();
      writeTurnNow(redis);
    };
    const open = (): Gathered => {
      if (turn.length === 0) setImmediate(sendTurn);
      const batch = newBatch();
      let settle = () => {};
      const sent = new Promise<void>((resolve, reject) => {
        settle = () => send(batch).then(resolve, reject);
      });
      const gathered = { batch, sent, settle };
      turn.push(gathered);
      return gathered;
    };
    return {
      current() {
        const last = turn[turn.length - 1];
        return last === undefined || isFull(last.batch) ? open() : last;
      },
    };
  }
}

/** One check's verdict from its part of the script's reply, decided at `now`. */
function verdictOf(reply: readonly string[], now: number, check: LimitCheck): LimitVerdict {
  const [allowedFlag, quotaState, quotaUsed, ...read] = reply;
  if (quotaState === "unseeded") return { allowed: false, decisions: [], quota: { state: "unseeded" } };
  const quota: QuotaStatus | null =
    quotaState === "ok" || quotaState === "exhausted" ? { state: quotaState, used: Number(quotaUsed) } : null;
  const allowed = allowedFlag === "1";
  const { decisions } = evaluateCharges(read.map(parseState), now, check.charges, !allowed);
  return { allowed, decisions, quota };
}

function parseState(stored: string): BucketState | undefined {
  if (stored === "") return undefined;
  const [level, at] = stored.split(":");
  return { level: Number(level), at: Number(at) };
}
