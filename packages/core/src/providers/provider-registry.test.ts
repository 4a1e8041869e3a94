import { afterEach, describe, expect, it } from "vitest";
import {
  answerJson,
  completion,
  type FakeUpstream,
  startFakeUpstream,
} from "../../../../test/support/fake-upstream.ts";
import { isProviderError } from "./chat-provider.ts";
import { createLocalProvider } from "./local-provider.ts";
import {
  createProviderRegistry,
  type DefaultUpstream,
  type ModelRoute,
  type ProviderRegistry,
} from "./provider-registry.ts";
import type { ProviderResolver } from "./provider-resolver.ts";

const local = createLocalProvider({ clock: () => 1_700_000_000 });
const DEFAULT_UPSTREAM: DefaultUpstream = {
  baseUrl: "http://127.0.0.1:9/v1",
  apiKey: "sk-default",
  model: "default-model",
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function registry(
  defaultUpstream: DefaultUpstream | null,
  upstreamKeys?: ReadonlyMap<string, string>,
): ProviderRegistry {
  // the chat path takes it as its ProviderResolver: this line fails to compile if they drift apart
  const created: ProviderRegistry & ProviderResolver = createProviderRegistry({
    defaultUpstream,
    ...(upstreamKeys && { upstreamKeys }),
    local,
    retries: { attempts: 1 },
    timeouts: { connectMs: 500, firstByteMs: 1_000, totalMs: 2_000 },
  });
  cleanups.push(() => created.close());
  return created;
}

async function upstream(): Promise<FakeUpstream> {
  const server = await startFakeUpstream(answerJson(200, completion("from upstream")));
  cleanups.push(() => server.close());
  return server;
}

const ask = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };

const model = (overrides: Partial<ModelRoute>): ModelRoute => ({
  id: "deepseek-chst-1.0",
  provider: "OPENAI_COMPATIBLE",
  upstreamBaseUrl: null,
  upstreamModel: null,
  ...overrides,
});

describe("the provider registry", () => {
  it("answers LOCAL models with the local provider under their own id", () => {
    const resolved = registry(DEFAULT_UPSTREAM).resolve(
      model({ provider: "LOCAL", upstreamBaseUrl: "http://127.0.0.1:9/v1", upstreamModel: "ignored" }),
    );
    expect(resolved.provider).toBe(local);
    expect(resolved.upstreamModel).toBe("deepseek-chst-1.0");
  });

  it("sends a model with its own base URL there, without the default upstream's key", async () => {
    const server = await upstream();
    const resolved = registry(DEFAULT_UPSTREAM).resolve(
      model({ upstreamBaseUrl: server.baseUrl, upstreamModel: "their-name" }),
    );
    expect(resolved.provider.name).toBe("openai-compatible");
    expect(resolved.upstreamModel).toBe("their-name");

    const result = await resolved.provider.complete({
      request: { model: resolved.upstreamModel, messages: [{ role: "user", content: "hi" }] },
      signal: new AbortController().signal,
    });
    expect(result.choices[0]?.message.content).toBe("from upstream");
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]?.body.model).toBe("their-name");
  });

  it("sends the default upstream's key to its own origin only", async () => {
    const server = await upstream();
    const resolved = registry({ ...DEFAULT_UPSTREAM, baseUrl: server.baseUrl }).resolve(
      model({ upstreamBaseUrl: `${server.baseUrl}/` }),
    );
    await resolved.provider.complete({
      request: { model: resolved.upstreamModel, messages: [{ role: "user", content: "hi" }] },
      signal: new AbortController().signal,
    });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-default");
  });

  it("sends each upstream its own key from the configuration, and no other's", async () => {
    const [keyed, other] = [await upstream(), await upstream()];
    const providers = registry(DEFAULT_UPSTREAM, new Map([[new URL(keyed.baseUrl).origin, "sk-keyed"]]));
    for (const server of [keyed, other]) {
      const resolved = providers.resolve(model({ upstreamBaseUrl: server.baseUrl }));
      await resolved.provider.complete({
        request: { model: resolved.upstreamModel, messages: [{ role: "user", content: "hi" }] },
        signal: new AbortController().signal,
      });
    }
    expect(keyed.requests[0]?.headers.authorization).toBe("Bearer sk-keyed");
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("keeps one provider per base URL", () => {
    const providers = registry(DEFAULT_UPSTREAM);
    const a = providers.resolve(model({ id: "a", upstreamBaseUrl: "http://127.0.0.1:9/v1" }));
    const b = providers.resolve(model({ id: "b", upstreamBaseUrl: "http://127.0.0.1:9/v1/" }));
    const other = providers.resolve(model({ id: "c", upstreamBaseUrl: "http://127.0.0.1:10/v1" }));
    const fallback = providers.resolve(model({ id: "d" }));
    expect(b.provider).toBe(a.provider);
    expect(fallback.provider).toBe(a.provider);
    expect(other.provider).not.toBe(a.provider);
  });

  it("sends a model without a base URL to the default upstream, under the default model name", () => {
    const resolved = registry(DEFAULT_UPSTREAM).resolve(model({}));
    expect(resolved.provider).not.toBe(local);
    expect(resolved.upstreamModel).toBe("default-model");
    expect(registry(DEFAULT_UPSTREAM).resolve(model({ upstreamModel: "named" })).upstreamModel).toBe("named");
    expect(registry({ ...DEFAULT_UPSTREAM, model: null }).resolve(model({})).upstreamModel).toBe(
      "deepseek-chst-1.0",
    );
  });

  it("answers a model without a base URL locally when no upstream is configured", () => {
    const resolved = registry(null).resolve(model({ upstreamModel: "would-be-upstream" }));
    expect(resolved.provider).toBe(local);
    expect(resolved.upstreamModel).toBe("deepseek-chst-1.0");
  });

  it("calls an upstream of its own without a key when no default upstream is configured", async () => {
    const server = await upstream();
    const resolved = registry(null).resolve(model({ upstreamBaseUrl: server.baseUrl }));
    await resolved.provider.complete({
      request: { model: resolved.upstreamModel, messages: [{ role: "user", content: "hi" }] },
      signal: new AbortController().signal,
    });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(resolved.upstreamModel).toBe("deepseek-chst-1.0");
  });

  it("sends a deployment the key its apiKeyRef names, and none for a name not configured", async () => {
    const server = await upstream();
    const providers = registry(null, new Map([["vllm-east", "sk-east"]]));
    const named = providers.resolve(model({ upstreamBaseUrl: server.baseUrl, apiKeyRef: "vllm-east" }));
    await named.provider.complete({ request: ask, signal: new AbortController().signal });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-east");
    const unknown = providers.resolve(model({ upstreamBaseUrl: server.baseUrl, apiKeyRef: "nowhere" }));
    await unknown.provider.complete({ request: ask, signal: new AbortController().signal });
    expect(server.requests[1]?.headers.authorization).toBeUndefined();
  });

  it("keeps one provider per base URL, key reference and timeouts", () => {
    const providers = registry(null);
    const base = { upstreamBaseUrl: "http://127.0.0.1:9/v1" };
    const plain = providers.resolve(model(base)).provider;
    const timeouts = { connectMs: 100, firstByteMs: null, totalMs: null };
    expect(providers.resolve(model({ ...base, id: "other" })).provider).toBe(plain);
    expect(providers.resolve(model({ ...base, timeouts })).provider).not.toBe(plain);
    expect(providers.resolve(model({ ...base, timeouts })).provider).toBe(
      providers.resolve(model({ ...base, timeouts })).provider,
    );
    expect(providers.resolve(model({ ...base, apiKeyRef: "k" })).provider).not.toBe(plain);
  });

  it("closes its upstream pools", async () => {
    const server = await upstream();
    const providers = registry(DEFAULT_UPSTREAM);
    const { provider } = providers.resolve(model({ upstreamBaseUrl: server.baseUrl }));
    await providers.close();
    const error = await provider
      .complete({
        request: { model: "m", messages: [{ role: "user", content: "hi" }] },
        signal: new AbortController().signal,
      })
      .catch((thrown: unknown) => thrown);
    expect(isProviderError(error)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});
