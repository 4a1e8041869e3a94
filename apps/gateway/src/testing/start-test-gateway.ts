import { Writable } from "node:stream";
import type { ApiError } from "@dsc/api-client";
import {
  type Clock,
  cliActor,
  createApiKey,
  createApiKeyAuthenticator,
  createLocalProvider,
  createOrganization,
  type ProviderResolver,
  type RevocationBus,
  systemClock,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import { pino } from "pino";
import { buildGateway, type GatewayOptions } from "../build-gateway.ts";

export const TEST_PEPPER = "gateway-test-pepper-0123456789abcdef";

export interface TestGatewayOptions {
  db: Database;
  clock?: Clock;
  providers?: ProviderResolver;
  revocations?: RevocationBus | null;
  cacheTtlMs?: number;
  gateway?: GatewayOptions;
}

/** A real gateway on a loopback port, with its log lines captured for assertions. */
export async function startTestGateway(options: TestGatewayOptions) {
  const clock = options.clock ?? systemClock;
  const logLines: string[] = [];
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  const authenticator = await createApiKeyAuthenticator({
    db: options.db,
    clock,
    pepper: TEST_PEPPER,
    revocations: options.revocations ?? null,
    cacheTtlMs: options.cacheTtlMs,
  });
  const local = createLocalProvider();
  const providers: ProviderResolver = options.providers ?? {
    resolve: (model) => ({ provider: local, upstreamModel: model.id }),
  };
  const app = buildGateway(
    { db: options.db, clock, logger, authenticator, providers },
    { forceCloseConnections: true, ...options.gateway },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("gateway has no address");
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    logLines,
    authenticator,
    close: () => app.close(),
  };
}

/** A fresh organization on a tier with one key; returns the secret. */
export async function createOrgWithKey(
  db: Database,
  options: { tier?: string; scopes?: string[]; expiresInMs?: number; clock?: Clock } = {},
) {
  const deps = { db, clock: options.clock ?? systemClock, pepper: TEST_PEPPER };
  const org = await createOrganization(deps, {
    name: `Test ${Math.random().toString(36).slice(2, 8)}`,
    tier: options.tier ?? "free",
    actor: cliActor("test"),
  });
  const { key, secret } = await createApiKey(deps, {
    organizationId: org.id,
    scopes: options.scopes,
    expiresInMs: options.expiresInMs,
    actor: cliActor("test"),
  });
  return { org, key, secret };
}

/** The parsed JSON body of a response, typed for assertions. */
export async function jsonOf<T = Record<string, unknown> & { error: ApiError }>(
  response: Response,
): Promise<T> {
  return (await response.json()) as T;
}
