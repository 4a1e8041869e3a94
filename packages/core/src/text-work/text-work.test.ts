import { readdirSync, readFileSync } from "node:fs";
import type { ChatMessage } from "@dsc/api-client";
import { afterAll, describe, expect, it } from "vitest";
import { open } from "../crypto/aead.ts";
import { ALL_PII_KINDS } from "../masking/pii-masking.ts";
import type { ChatTurnToSeal } from "./text-tasks.ts";
import {
  createInlineTextWork,
  createTextWorkPool,
  type SealedChatTurnBytes,
  TextWorkClosedError,
} from "./text-work.ts";

const pool = createTextWorkPool({ maxThreads: 1 });
const inline = createInlineTextWork();
afterAll(async () => {
  await pool.close();
  await inline.close();
});

// large enough for the pool, with something of every kind to mask
const personal = "Mail jane@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111. ";
const large = `${personal.repeat(400)}${"a.a.a.".repeat(2_000)}`;
const messages: ChatMessage[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: [{ type: "text", text: large }] },
  { role: "user", content: large, name: "jane" },
];
const key = Buffer.alloc(32, 7);
const turn: ChatTurnToSeal = {
  messages,
  response: { streamedText: large },
  maskKinds: ALL_PII_KINDS,
  key,
  requestContext: "chat-log:org:req:request",
  responseContext: "chat-log:org:req:response",
};

describe("the text-work pool", () => {
  it.skipIf(process.platform !== "linux")(
    "runs its threads below the event loop's priority (niceness 10 higher), the event loop unchanged",
    async () => {
      await pool.countTokenUsage({ messages, completionTexts: [] });
      // field 19 of /proc/<pid>/task/<tid>/stat is the thread's niceness
      const niceOf = (task: string) =>
        Number(readFileSync(`/proc/self/task/${task}/stat`, "utf8").split(") ")[1]?.split(" ")[16]);
      const tasks = readdirSync("/proc/self/task");
      const eventLoop = niceOf(String(process.pid));
      expect(tasks.map(niceOf)).toContain(Math.min(19, eventLoop + 10));
    },
  );

  it("counts tokens in a worker thread, as inline does", async () => {
    const input = { messages, completionTexts: [large, "done"] };
    const before = pool.stats.pooled;
    const pooled = await pool.countTokenUsage(input);
    expect(pool.stats.pooled).toBe(before + 1);
    expect(pooled).toEqual(await inline.countTokenUsage(input));
    expect(pooled.promptTokens).toBeGreaterThan(1_000);
  });

  it("masks messages in a worker thread, as inline does", async () => {
    const before = pool.stats.pooled;
    const pooled = await pool.maskMessages(messages, ALL_PII_KINDS);
    expect(pool.stats.pooled).toBe(before + 1);
    expect(pooled).toEqual(await inline.maskMessages(messages, ALL_PII_KINDS));
    expect(JSON.stringify(pooled)).not.toContain("jane@example.com");
    expect(pooled[2]).toMatchObject({ name: "jane" });
  });

  it("seals a turn in a worker thread into what opens to the inline result", async () => {
    const before = pool.stats.pooled;
    const pooled = await pool.sealChatTurn(turn);
    expect(pool.stats.pooled).toBe(before + 1);
    const local = await inline.sealChatTurn(turn);
    expect(Buffer.isBuffer(pooled.requestCiphertext)).toBe(true);
    const request = open(key, pooled.requestCiphertext, turn.requestContext).toString("utf8");
    expect(request).toBe(open(key, local.requestCiphertext, turn.requestContext).toString("utf8"));
    expect(request).toContain("[EMAIL]");
    expect(request).not.toContain("jane@example.com");
    const response = open(key, pooled.responseCiphertext, turn.responseContext).toString("utf8");
    expect(response).toBe(open(key, local.responseCiphertext, turn.responseContext).toString("utf8"));
    // bound to its part: the request's context does not open the response
    expect(() => open(key, pooled.responseCiphertext, turn.requestContext)).toThrow();
  });

  it("seals a large turn again under another key in a worker thread, a small one inline", async () => {
    const otherKey = Buffer.alloc(32, 8);
    const resealUnder = (sealed: SealedChatTurnBytes, fromKey: Buffer, toKey: Buffer) =>
      pool.resealChatTurn({
        ...sealed,
        fromKey,
        toKey,
        requestContext: turn.requestContext,
        responseContext: turn.responseContext,
      });
    const sealed = await inline.sealChatTurn(turn);
    const before = { ...pool.stats };
    const resealed = await resealUnder(sealed, key, otherKey);
    expect(pool.stats).toEqual({ inline: before.inline, pooled: before.pooled + 1 });
    expect(Buffer.isBuffer(resealed.requestCiphertext)).toBe(true);
    for (const part of ["request", "response"] as const) {
      const [ciphertext, again, context] =
        part === "request"
          ? [sealed.requestCiphertext, resealed.requestCiphertext, turn.requestContext]
          : [sealed.responseCiphertext, resealed.responseCiphertext, turn.responseContext];
      expect(open(otherKey, again, context).equals(open(key, ciphertext, context))).toBe(true);
      expect(() => open(key, again, context)).toThrow();
    }

    const small = await inline.sealChatTurn({
      ...turn,
      messages: [{ role: "user", content: "hi" }],
      response: { streamedText: "hello" },
    });
    const smallAgain = await resealUnder(small, key, otherKey);
    expect(pool.stats.inline).toBe(before.inline + 1);
    expect(open(otherKey, smallAgain.requestCiphertext, turn.requestContext).toString()).toContain('"hi"');
    // a ciphertext under the wrong key is refused, not sealed again as something else
    await expect(resealUnder(sealed, otherKey, key)).rejects.toThrow();
  });

  it("works on small texts on the caller's thread", async () => {
    const before = { ...pool.stats };
    const usage = await pool.countTokenUsage({
      messages: [{ role: "user", content: "hello" }],
      completionTexts: ["hi"],
    });
    expect(usage).toEqual({ promptTokens: 7, completionTokens: 1 });
    expect(pool.stats).toEqual({ inline: before.inline + 1, pooled: before.pooled });
  });

  it("rejects with the thread's error when the work fails there, and keeps working", async () => {
    await expect(pool.sealChatTurn({ ...turn, key: Buffer.alloc(16) })).rejects.toThrow(/key length/i);
    expect(await pool.countTokenUsage({ messages, completionTexts: [] })).toEqual(
      await inline.countTokenUsage({ messages, completionTexts: [] }),
    );
  });

  it("refuses work once closed, small or large, with a clear error", async () => {
    const closing = createTextWorkPool({ maxThreads: 1 });
    const working = closing.countTokenUsage({ messages, completionTexts: [] });
    await closing.close();
    // what was under way when it closed finishes
    expect((await working).promptTokens).toBeGreaterThan(1_000);
    await expect(closing.countTokenUsage({ messages, completionTexts: [] })).rejects.toBeInstanceOf(
      TextWorkClosedError,
    );
    await expect(closing.maskMessages([{ role: "user", content: "x" }], ["email"])).rejects.toThrow(
      "the text-work pool is closed",
    );
  });
});
