import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Clock } from "../time/clock.ts";
import {
  type BucketState,
  evaluateCharges,
  type QuotaStatus,
  type RateLimiter,
  type RateLimitRule,
} from "./rate-limiter.ts";

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
 * The check as one script, so that it is atomic and costs one round trip. The arithmetic is
 * gcra()'s, step for step; the script returns the states it read so that the client derives
 * the same decisions. A bucket expires when it has drained.
 *
 * KEYS: the n bucket keys, then the quota counter when ARGV[3] is not empty.
 * ARGV: now (ms), n, quota limit or "", then limit, windowMs, cost for each bucket, then the
 * tokens to add to the quota counter when the check passes (the call's reservation).
 * Returns: { allowed "1"/"0", quota state, quota used, state_1 … state_n } ("" for none).
 */
const CHECK_SCRIPT = `${DRAINED_LEVEL}
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local quotaState, quotaUsed = "none", ""
if ARGV[3] ~= "" then
  local used = redis.call("GET", KEYS[n + 1])
  if not used then return { "0", "unseeded", "" } end
  quotaUsed = used
  if tonumber(used) >= tonumber(ARGV[3]) then quotaState = "exhausted" else quotaState = "ok" end
end
local allowed = quotaState ~= "exhausted"
local read, after = {}, {}
for i = 1, n do
  local limit, window, cost = tonumber(ARGV[i * 3 + 1]), tonumber(ARGV[i * 3 + 2]), tonumber(ARGV[i * 3 + 3])
  local stored = redis.call("GET", KEYS[i])
  read[i] = stored or ""
  after[i] = drained(stored, now, limit, window) + cost
  if cost > limit or after[i] > limit + 0.000001 then allowed = false end
end
if allowed then
  for i = 1, n do
    store(KEYS[i], after[i], now, tonumber(ARGV[i * 3 + 1]), tonumber(ARGV[i * 3 + 2]))
  end
  local reserve = tonumber(ARGV[n * 3 + 4] or "0")
  if quotaState == "ok" and reserve > 0 then redis.call("INCRBY", KEYS[n + 1], reserve) end
end
return { allowed and "1" or "0", quotaState, quotaUsed, unpack(read) }
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

/** The corrections of one hash tag (one cluster slot), merged per key. */
interface SlotAdjustments {
  buckets: Map<string, { rule: RateLimitRule; delta: number }>;
  counters: Map<string, number>;
}

/**
 * The corrections made in this turn of the event loop, by hash tag, and the promise every caller
 * of them awaits: they are sent when the turn ends (setImmediate), so that the requests that
 * settle in one turn cost one script per hash tag instead of a round trip each.
 */
interface GatheredAdjustments {
  bySlot: Map<string, SlotAdjustments>;
  sent: Promise<void>;
}

export interface RedisRateLimiterOptions {
  redis: Redis;
  clock: Clock;
  /** namespace of every key this limiter writes (default "dsc:") */
  prefix?: string;
}

/**
 * GCRA buckets and quota counters in Redis, shared by every gateway instance: each check is one
 * EVALSHA of a Lua script (EVAL when the server does not know the script yet, e.g. after a
 * restart or SCRIPT FLUSH); the corrections of one turn of the event loop are sent together.
 * Keys carry the caller's hash tag (`{org_…}`) so that one check's keys share a cluster slot.
 * Time comes from the instance's clock, so instances need synchronized clocks (NTP): skew of d
 * ms shifts a decision by d ms.
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

  let gathered: GatheredAdjustments | null = null;

  const gatherAdjustments = (): GatheredAdjustments => {
    const bySlot = new Map<string, SlotAdjustments>();
    const sent = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        gathered = null;
        Promise.all([...bySlot.values()].map(sendAdjustments)).then(() => resolve(), reject);
      });
    });
    return { bySlot, sent };
  };

  const slotOf = (batch: GatheredAdjustments, key: string): SlotAdjustments => {
    const tag = hashTagOf(key);
    const slot = batch.bySlot.get(tag) ?? { buckets: new Map(), counters: new Map() };
    batch.bySlot.set(tag, slot);
    return slot;
  };

  /**
   * One slot's corrections as one script. Merging per key is exact for the counters (sums) and,
   * for a bucket, the same as applying the additions before the refunds: one of the orders in
   * which concurrent settlements may land anyway.
   */
  const sendAdjustments = async ({ buckets, counters }: SlotAdjustments): Promise<void> => {
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

  return {
    async check(check) {
      const now = clock.now().getTime();
      const keys = check.charges.map((charge) => prefix + charge.key);
      if (check.quota) keys.push(prefix + check.quota.key);
      const args: (string | number)[] = [now, check.charges.length, check.quota ? check.quota.limit : ""];
      for (const charge of check.charges) args.push(charge.rule.limit, charge.rule.windowMs, charge.cost);
      args.push(Math.max(0, Math.round(check.quota?.reserve ?? 0)));

      const reply = (await run(CHECK, keys, args)) as string[];
      const [allowedFlag, quotaState, quotaUsed, ...read] = reply;
      if (quotaState === "unseeded") return { allowed: false, decisions: [], quota: { state: "unseeded" } };
      const quota: QuotaStatus | null =
        quotaState === "ok" || quotaState === "exhausted"
          ? { state: quotaState, used: Number(quotaUsed) }
          : null;
      const allowed = allowedFlag === "1";
      const { decisions } = evaluateCharges(read.map(parseState), now, check.charges, !allowed);
      return { allowed, decisions, quota };
    },

    adjust(charges, quota) {
      const changed = charges.filter((charge) => charge.cost !== 0);
      const counter = quota && quota.delta !== 0 ? quota : null;
      if (changed.length === 0 && !counter) return Promise.resolve();
      gathered ??= gatherAdjustments();
      for (const charge of changed) {
        const key = prefix + charge.key;
        const { buckets } = slotOf(gathered, key);
        const bucket = buckets.get(key);
        if (bucket) {
          bucket.delta += charge.cost;
          bucket.rule = charge.rule; // a tier changed meanwhile: its latest rule
        } else buckets.set(key, { rule: charge.rule, delta: charge.cost });
      }
      if (counter) {
        const key = prefix + counter.key;
        const { counters } = slotOf(gathered, key);
        counters.set(key, (counters.get(key) ?? 0) + Math.round(counter.delta));
      }
      return gathered.sent;
    },

    async seedQuota(key, used, ttlMs) {
      await redis.set(prefix + key, Math.round(used), "PX", Math.max(1, Math.ceil(ttlMs)), "NX");
    },
  };
}

/** What Redis Cluster hashes a key by: its first non-empty `{…}`, else the whole key. */
function hashTagOf(key: string): string {
  const open = key.indexOf("{");
  const close = open === -1 ? -1 : key.indexOf("}", open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

function parseState(stored: string): BucketState | undefined {
  if (stored === "") return undefined;
  const [level, at] = stored.split(":");
  return { level: Number(level), at: Number(at) };
}
