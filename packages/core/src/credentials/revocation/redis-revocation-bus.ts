import { Redis } from "ioredis";
import { REVOCATION_CHANNEL, type RevocationBus } from "./revocation-bus.ts";

/** Revocations over Redis pub/sub, for deployments that run Redis anyway. */
export function createRedisRevocationBus(
  redisUrl: string,
  onError: (error: unknown) => void = () => {},
): RevocationBus {
  const publisher = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  // re-subscribed here rather than by ioredis, whose own re-subscription after a reconnect
  // rejects unhandled when the connection closes before Redis answers it
  const subscriber = new Redis(redisUrl, { lazyConnect: true, autoResubscribe: false });
  publisher.on("error", onError);
  subscriber.on("error", onError);
  const listeners: ((credentialId: string | null) => void)[] = [];
  let subscribed = false;
  let readyOnce = false;

  subscriber.on("message", (channel: string, message: string) => {
    if (channel === REVOCATION_CHANNEL) for (const fn of listeners) fn(message);
  });
  // after a reconnect: subscribe again; what was published meanwhile is lost
  subscriber.on("ready", () => {
    if (readyOnce) {
      subscriber.subscribe(REVOCATION_CHANNEL).catch(onError);
      for (const fn of listeners) fn(null);
    }
    readyOnce = true;
  });

  return {
    async publish(credentialId) {
      if (publisher.status === "wait") await publisher.connect();
      await publisher.publish(REVOCATION_CHANNEL, credentialId);
    },
    async subscribe(fn) {
      listeners.push(fn);
      if (!subscribed) {
        subscribed = true;
        await subscriber.connect();
        await subscriber.subscribe(REVOCATION_CHANNEL);
      }
    },
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
