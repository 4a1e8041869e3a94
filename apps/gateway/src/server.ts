import { systemClock } from "@dsc/core";
import { createDatabaseClient, ensureDatabase } from "@dsc/db";
import { pino } from "pino";
import { buildGateway } from "./build-gateway.ts";
import { parseGatewayEnv } from "./env.ts";

let env: ReturnType<typeof parseGatewayEnv>;
try {
  env = parseGatewayEnv(process.env);
} catch (error) {
  process.stderr.write(`gateway: ${(error as Error).message}\n`);
  process.exit(2);
}

const logger = pino({ level: env.LOG_LEVEL, base: { service: "gateway" } });
// With DATABASE_URL the schema is migrated by `dsc-admin migrate` (one step per deploy,
// not per instance); without it the embedded database is joined, or started for this process.
const database = env.DATABASE_URL
  ? null
  : await ensureDatabase({ dataDir: env.DATA_DIR, log: (message) => logger.info(message) });
const db = createDatabaseClient(env.DATABASE_URL ?? (database?.url as string));
const app = buildGateway({ db, clock: systemClock, logger });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  await app.close();
  await db.$disconnect();
  await database?.release();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

await app.listen({ port: env.GATEWAY_PORT, host: env.GATEWAY_HOST });
