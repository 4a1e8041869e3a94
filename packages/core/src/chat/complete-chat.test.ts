import { randomBytes } from "node:crypto";
import type { ChatCompletion, ChatCompletionRequest } from "@dsc/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import {
  answerJson,
  completion,
  type FakeUpstream,
  startFakeUpstream,
} from "../../../../test/support/fake-upstream.ts";
import { cliActor } from "../audit/actor.ts";
import { createCompletionCache } from "../cache/completion-cache.ts";
import { createMemoryResponseCache } from "../cache/memory-response-cache.ts";
import { createChatLogWriter } from "../chat-logs/chat-log-writer.ts";
import { readChatLogs } from "../chat-logs/read-chat-logs.ts";
import type { Principal } from "../credentials/principal.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { callerLimitsOf } from "../limits/caller-limits.ts";
import { createMemoryRateLimiter } from "../limits/memory-rate-limiter.ts";
import { reserveCapacity } from "../limits/reserve-capacity.ts";
import { loadOrganizationSnapshot } from "../organizations/organization-snapshot.ts";
import type { ChatProvider } from "../providers/chat-provider.ts";
import { createLocalProvider } from "../providers/local-provider.ts";
import { createOpenAICompatibleProvider } from "../providers/openai-compatible-provider.ts";
import { createInlineTextWork } from "../text-work/text-work.ts";
import { createRequestMeter } from "../usage/request-meter.ts";
import { createUsageSettlement } from "../usage/usage-settlement.ts";
import { createUsageWriter } from "../usage/usage-writer.ts";
import { type CompleteChatDeps, completeChat } from "./complete-chat.ts";

/**
 * The chat use case end to end in core: a real database, the built-in local model or an
 * OpenAI-compatible upstream over HTTP, a real response cache, chat-log writer, limiter and
 * usage writer. Only the HTTP route around it is missing.
 */
const MODEL = "deepseek-chst-1.0";
const TOKENS_PER_MINUTE = 100_000;
let t: TestDatabase;
let upstream: FakeUpstream;
const clock = fakeClock(new Date("2026-03-02T10:00:00Z"));
const limiter = createMemoryRateLimiter({ clock });
const KEYRING = parseMasterKeyring(`1:${Buffer.alloc(32, 7).toString("base64")}`);
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  upstream = await startFakeUpstream(answerJson(200, completion("Noted.")));
  cleanups.push(() => upstream.close());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A fresh organization on a tier of its own, with the given data settings, and its caller. */
async function organizationWith(
  settings: { dataCollectionOptOut?: boolean; maskPiiUpstream?: boolean } = {},
) {
  const suffix = randomBytes(5).toString("hex");
  const tier = await t.db.tier.create({
    data: {
      id: `tier_chat_${suffix}`,
      slug: `chat-${suffix}`,
      name: `chat-${suffix}`,
      requestsPerMinute: 100,
      tokensPerMinute: TOKENS_PER_MINUTE,
      maxFileBytes: 1024n,
      isCustom: true,
      models: { connect: { id: MODEL } },
    },
  });
  const organization = await t.db.organization.create({
    data: { id: `org_${suffix}`, name: `Chat ${suffix}`, tierId: tier.id, ...settings },
  });
  const snapshot = await loadOrganizationSnapshot(t.db, organization.id);
  if (!snapshot) throw new Error("no snapshot");
  const principal: Principal = {
    kind: "api_key",
    credentialId: `key_${suffix}`,
    organizationId: organization.id,
    scopes: ["chat"],
    expiresAt: null,
  };
  return { snapshot, principal };
}

function depsWith(provider: ChatProvider) {
  const chatLogs = createChatLogWriter({ db: t.db, clock, keyring: KEYRING }, { flushIntervalMs: 60_000 });
  cleanups.push(() => chatLogs.close());
  const cache = createMemoryResponseCache({ clock });
  const calls: ChatCompletionRequest[] = [];
  const deps: CompleteChatDeps = {
    clock,
    providers: {
      resolve: () => ({
        provider: {
          name: provider.name,
          complete: (call) => {
            calls.push(call.request);
            return provider.complete(call);
          },
          stream: (call) => provider.stream(call),
        },
        upstreamModel: MODEL,
      }),
    },
    textWork: createInlineTextWork(),
    chatLogs,
    responseCache: createCompletionCache({ db: t.db, clock, keyring: KEYRING }, { cache, ttlMs: 60_000 }),
  };
  return { deps, chatLogs, cache, calls };
}

/** One call as the route makes it: limits checked and reserved first, the response closed after. */
async function call(
  deps: CompleteChatDeps,
  caller: Awaited<ReturnType<typeof organizationWith>>,
  request: ChatCompletionRequest,
  options: { optedOut?: boolean } = {},
) {
  const writer = createUsageWriter({ db: t.db, flushIntervalMs: 60_000 });
  const settled = createUsageSettlement({ usage: writer });
  const requestId = `req_${randomBytes(6).toString("hex")}`;
  const meter = createRequestMeter(
    { settlement: settled, clock },
    { requestId, principal: caller.principal, endpoint: "/v1/chat/completions" },
  );
  const grant = await reserveCapacity(
    { db: t.db, limiter, clock },
    { limits: callerLimitsOf(caller.snapshot, caller.principal), tokens: 1_000 },
  );
  if (!grant.allowed) throw grant.error;
  meter.attach(grant.reservation);
  const answer = await completeChat(deps, {
    principal: caller.principal,
    organization: caller.snapshot,
    request,
    requestId,
    signal: new AbortController().signal,
    optedOut: options.optedOut ?? false,
    refusesCache: false,
    meter,
    log: { error: (details) => expect.fail(String(details.err)) },
  });
  if (answer.kind !== "completion") throw new Error("expected a JSON answer");
  await answer.settled;
  meter.responseClosed(200);
  await settled.whenMetered(1);
  await writer.close();
  const event = await t.db.usageEvent.findFirstOrThrow({ where: { requestId } });
  return { answer, requestId, event, reservation: grant.reservation };
}

const ask = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: MODEL,
  messages: [{ role: "user", content }],
  ...extra,
});

/** What the organization's token bucket holds now, read by a probe reservation of one token. */
async function tokensCharged(caller: Awaited<ReturnType<typeof organizationWith>>): Promise<number> {
  const probe = await reserveCapacity(
    { db: t.db, limiter, clock },
    { limits: callerLimitsOf(caller.snapshot, caller.principal), tokens: 1 },
  );
  if (!probe.allowed || !probe.tokens) throw new Error("probe refused");
  await probe.reservation.settle(0);
  return TOKENS_PER_MINUTE - probe.tokens.remaining - 1;
}

describe("completeChat", () => {
  it("settles the reservation with the tokens used and writes the UsageEvent", async () => {
    const caller = await organizationWith();
    const { deps } = depsWith(createLocalProvider());
    const { answer, event, reservation } = await call(deps, caller, ask("How many tokens is this?"));
    const used = answer.completion.usage as NonNullable<ChatCompletion["usage"]>;
    expect(used.prompt_tokens).toBeGreaterThan(0);
    expect(reservation.settled).toBe(true);
    expect(event).toMatchObject({
      organizationId: caller.principal.organizationId,
      apiKeyId: caller.principal.credentialId,
      modelId: MODEL,
      status: 200,
      promptTokens: used.prompt_tokens,
      completionTokens: used.completion_tokens,
      cached: false,
    });
    // the 1,000 reserved went back; what was used stays charged
    expect(await tokensCharged(caller)).toBe(used.prompt_tokens + used.completion_tokens);
  });

  it("answers an identical deterministic request from the cache, without the provider, metered as cached", async () => {
    const caller = await organizationWith();
    const { deps, calls, cache } = depsWith(createLocalProvider());
    const request = ask("Say the same thing twice.", { temperature: 0 });
    const first = await call(deps, caller, request);
    const second = await call(deps, caller, request);
    expect(first.answer.isCached).toBe(false);
    expect(second.answer.isCached).toBe(true);
    expect(calls).toHaveLength(1);
    expect(cache.stats.hits).toBe(1);
    expect(second.answer.completion.choices).toEqual(first.answer.completion.choices);
    expect(second.answer.completion.id).not.toBe(first.answer.completion.id);
    expect(second.event).toMatchObject({ cached: true, promptTokens: 0, completionTokens: 0 });
  });

  it("keeps no chat log of an opted-out organization, and one of an organization that is not", async () => {
    const optedOut = await organizationWith({ dataCollectionOptOut: true });
    const keeping = await organizationWith();
    const { deps, chatLogs } = depsWith(createLocalProvider());
    const none = await call(deps, optedOut, ask("Forget me."));
    const kept = await call(deps, keeping, ask("Remember me."));
    await chatLogs.flush();
    expect(await t.db.chatLog.count({ where: { requestId: none.requestId } })).toBe(0);
    expect(await t.db.chatLog.count({ where: { requestId: kept.requestId } })).toBe(1);
    // usage is counted all the same
    expect(none.event.promptTokens).toBeGreaterThan(0);
  });

  it("masks the prompt before it reaches an upstream when the organization asks for it", async () => {
    const caller = await organizationWith({ maskPiiUpstream: true });
    const provider = createOpenAICompatibleProvider({ baseUrl: upstream.baseUrl, apiKey: null });
    cleanups.push(() => provider.close());
    const { deps } = depsWith(provider);
    const before = upstream.requests.length;
    await call(deps, caller, ask("Write to jane.doe@example.com about it."));
    const received = upstream.requests[before]?.body as { messages: { content: string }[] };
    const sent = received.messages[0]?.content ?? "";
    expect(sent).not.toContain("jane.doe@example.com");
    expect(sent).toContain("[EMAIL]");
  });

  it("masks tool-call arguments and every text part of multi-part content, upstream and in the log", async () => {
    const caller = await organizationWith({ maskPiiUpstream: true });
    const provider = createOpenAICompatibleProvider({ baseUrl: upstream.baseUrl, apiKey: null });
    cleanups.push(() => provider.close());
    const { deps, chatLogs } = depsWith(provider);
    const before = upstream.requests.length;
    const { requestId } = await call(deps, caller, {
      model: MODEL,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Please mail" },
            { type: "text", text: "ann.part@example.com about the invoice." },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "send_mail", arguments: '{"to":"bob.args@example.com"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "sent to bob.args@example.com" },
      ],
    });
    const received = JSON.stringify(upstream.requests[before]?.body);
    expect(received).not.toMatch(/ann\.part@|bob\.args@/);
    expect(received).toContain('{\\"to\\":\\"[EMAIL]\\"}');
    expect(received).toContain("[EMAIL] about the invoice.");

    await chatLogs.flush();
    const [log] = await readChatLogs(
      { db: t.db, clock, keyring: KEYRING },
      { organizationId: caller.principal.organizationId, actor: cliActor("test"), purpose: "test" },
    );
    expect(log?.requestId).toBe(requestId);
    const stored = JSON.stringify(log?.messages);
    expect(stored).not.toMatch(/ann\.part@|bob\.args@/);
    expect(stored).toContain('{\\"to\\":\\"[EMAIL]\\"}');
  });
});
