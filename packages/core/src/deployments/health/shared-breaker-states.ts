import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { z } from "zod";
import { waitUntilConnected } from "../../limits/redis-connection.ts";
import type { BreakerNotice, SharedBreakerState } from "./circuit-breaker.ts";

export interface SharedBreakerStatesOptions {
  redisUrl: string;
  /** namespaces the keys and the channel; default `dsc:deployment-health:` */
  prefix?: string;
  /** how long a key outlives the last time it names, so that a gateway starting then still reads it */
  keepMs: number;
  /** another gateway's decision, or one read from Redis after (re)connecting */
  onDecision(deploymentId: string, state: SharedBreakerState): void;
  /** another gateway's notice (a cool-down, a probe freed), or a cool-down read from Redis */
  onNotice(deploymentId: string, notice: BreakerNotice): void;
  onError(error: unknown): void;
}

export interface SharedBreakerStates {
  /** Writes and announces this gateway's decision, in the background: the caller never waits. */
  publish(deploymentId: string, state: SharedBreakerState, nowMs: number): void;
  /**
   * Announces a notice that the others merge into their state (never replacing it); a
   * cool-down is also kept in a key of its own until it ends, for gateways that start meanwhile.
   */
  announce(deploymentId: string, notice: BreakerNotice, nowMs: number): void;
  /** Settles once the first subscription and read of the current states are done, or after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

const SharedBreakerStateSchema = z.object({
  state: z.enum(["closed", "open", "half_open"]),
  openUntil: z.number().nullable(),
  probeUntil: z.number().nullable(),
  coolingUntil: z.number().nullable(),
  opens: z.number().int().min(0),
  consecutiveFailures: z.number().int().min(0),
});
const DecisionSchema = z.object({
  from: z.string(),
  deploymentId: z.string().min(1),
  decided: SharedBreakerStateSchema,
});
type Decision = z.infer<typeof DecisionSchema>;
const NoticeSchema = z.object({
  from: z.string(),
  deploymentId: z.string().min(1),
  notice: z.object({ coolingUntil: z.number().nullable(), releasesProbe: z.boolean() }),
});
type Notice = z.infer<typeof NoticeSchema>;
const MessageSchema = z.union([DecisionSchema, NoticeSchema]);
type Message = Decision | Notice;

// bounds on reading every key at start: 200 × 200 keys is far more deployments than anyone runs
const SCAN_BATCH = 200;
const MAX_SCAN_ROUNDS = 200;

/**
 * Breaker decisions shared through Redis: one key per deployment holding its latest decision
 * (with a TTL past the last time it names, so that Redis forgets what no longer matters), and
 * a pub/sub channel on which every decision is announced, so that the other gateways update
 * their memory within a round trip. A gateway (re)connecting subscribes, then reads the keys.
 * Commands never queue while Redis is down: a decision made then stays this gateway's own.
 */
export function connectSharedBreakerStates(options: SharedBreakerStatesOptions): SharedBreakerStates {
  const prefix = options.prefix ?? "dsc:deployment-health:";
  const channel = `${prefix}decisions`;
  const keyOf = (deploymentId: string) => `${prefix}state:${deploymentId}`;
  const coolingKeyOf = (deploymentId: string) => `${prefix}cooling:${deploymentId}`;
  const instanceId = randomUUID();
  const connectionOptions = {
    // named, so that an operator's CLIENT LIST tells these connections apart
    connectionName: "dsc-deployment-health",
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), 1_000),
  };
  const publisher = new Redis(options.redisUrl, connectionOptions);
  // re-subscribed on every "ready" below, not by ioredis (see the revocation bus)
  const subscriber = new Redis(options.redisUrl, { ...connectionOptions, autoResubscribe: false });
  publisher.on("error", options.onError);
  subscriber.on("error", options.onError);
  // deployments announced since the last subscription: the read that follows is older for them
  let heardSinceSubscribe = new Set<string>();
  let isClosed = false;
  let markSynced = () => {};
  const synced = new Promise<void>((resolve) => {
    markSynced = resolve;
  });

  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    const message = parseMessage(text);
    if (message === null || message.from === instanceId) return;
    if ("notice" in message) {
      options.onNotice(message.deploymentId, message.notice);
      return;
    }
    heardSinceSubscribe.add(message.deploymentId);
    options.onDecision(message.deploymentId, message.decided);
  });
  subscriber.on("ready", () => {
    resync().then(markSynced, options.onError);
  });

  async function resync(): Promise<void> {
    heardSinceSubscribe = new Set();
    await subscriber.subscribe(channel);
    // the keys are read on the other connection, which may still be (re)connecting
    if (!(await waitUntilConnected(publisher, 2_000)))
      throw new Error("Redis: could not read the shared states");
    const heard = heardSinceSubscribe;
    for (const message of await readAll(`${prefix}state:*`)) {
      if ("decided" in message && !heard.has(message.deploymentId))
        options.onDecision(message.deploymentId, message.decided);
    }
    // a cool-down merges, whenever it was heard
    for (const message of await readAll(`${prefix}cooling:*`)) {
      if ("notice" in message) options.onNotice(message.deploymentId, message.notice);
    }
  }

  async function readAll(pattern: string): Promise<Message[]> {
    const keys: string[] = [];
    let cursor = "0";
    for (let round = 0; round < MAX_SCAN_ROUNDS; round++) {
      const [next, batch] = await publisher.scan(cursor, "MATCH", pattern, "COUNT", SCAN_BATCH);
      keys.push(...batch);
      cursor = next;
      if (cursor === "0") break;
    }
    const messages: Message[] = [];
    for (let start = 0; start < keys.length; start += SCAN_BATCH) {
      const values = await publisher.mget(...keys.slice(start, start + SCAN_BATCH));
      for (const value of values) {
        const message = value === null ? null : parseMessage(value);
        if (message !== null) messages.push(message);
      }
    }
    return messages;
  }

  /** How long the key should live: past the last time it names; null when nothing is left to tell. */
  function keyLifetimeMs(state: SharedBreakerState, nowMs: number): number | null {
    const lastUntil = Math.max(state.openUntil ?? 0, state.probeUntil ?? 0, state.coolingUntil ?? 0);
    if (state.state === "closed" && lastUntil <= nowMs) return null;
    return Math.max(0, lastUntil - nowMs) + options.keepMs;
  }

  subscriber.connect().catch(options.onError);
  publisher.connect().catch(options.onError);

  return {
    publish(deploymentId, state, nowMs) {
      if (isClosed) return;
      const text = JSON.stringify({ from: instanceId, deploymentId, decided: state } satisfies Decision);
      const lifetimeMs = keyLifetimeMs(state, nowMs);
      const write = publisher.multi();
      if (lifetimeMs === null) write.del(keyOf(deploymentId));
      else write.set(keyOf(deploymentId), text, "PX", Math.ceil(lifetimeMs));
      write.publish(channel, text);
      write.exec().catch(options.onError);
    },
    announce(deploymentId, notice, nowMs) {
      if (isClosed) return;
      const text = JSON.stringify({ from: instanceId, deploymentId, notice } satisfies Notice);
      const write = publisher.multi();
      // the key carries the cool-down only: a freed probe matters to the gateways running now
      if (notice.coolingUntil !== null && notice.coolingUntil > nowMs)
        write.set(
          coolingKeyOf(deploymentId),
          JSON.stringify({ from: instanceId, deploymentId, notice: { ...notice, releasesProbe: false } }),
          "PX",
          Math.ceil(notice.coolingUntil - nowMs),
        );
      write.publish(channel, text);
      write.exec().catch(options.onError);
    },
    async ready(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([synced.then(() => true), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      isClosed = true;
      subscriber.disconnect();
      // what was published just before is sent before the connection closes
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}

function parseMessage(text: string): Message | null {
  try {
    const parsed = MessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
