import { availableParallelism } from "node:os";
import type { ChatMessage } from "@dsc/api-client";
import { Piscina } from "piscina";
import type { PiiKind } from "../masking/pii-masking.ts";
import type { TokenUsage } from "../tokens/token-usage.ts";
import {
  asBuffer,
  type ChatTurnToReseal,
  type ChatTurnToSeal,
  charactersOfMessages,
  charactersOfResponse,
  countTokenUsage,
  maskChatMessages,
  resealChatTurn,
  type SealedChatTurn,
  sealChatTurn,
  type TokenCountInput,
} from "./text-tasks.ts";

/**
 * Counting, masking and sealing of request and response texts, off the event loop when they
 * are large: a prompt of hundreds of KB costs tens to hundreds of milliseconds of CPU even
 * with linear algorithms, and on the event loop every other tenant's request (and /healthz)
 * would wait for it. Results are the same wherever the work runs.
 */
export interface TextWork {
  countTokenUsage(input: TokenCountInput): Promise<TokenUsage>;
  maskMessages(messages: ChatMessage[], kinds: readonly PiiKind[]): Promise<ChatMessage[]>;
  sealChatTurn(input: ChatTurnToSeal): Promise<SealedChatTurnBytes>;
  /** a sealed turn under another key (its key was deleted before its row was written) */
  resealChatTurn(input: ChatTurnToReseal): Promise<SealedChatTurnBytes>;
  /** how many tasks ran on the caller's thread and how many in the pool, since start */
  readonly stats: { inline: number; pooled: number };
  /** Waits for work under way; later work is refused with TextWorkClosedError. */
  close(): Promise<void>;
}

/** A sealed turn as the caller gets it (a worker's answer arrives as plain Uint8Arrays). */
export interface SealedChatTurnBytes {
  requestCiphertext: Buffer;
  responseCiphertext: Buffer;
}

/**
 * Texts shorter than this are worked on at once, on the caller's thread: a round trip to a
 * worker (copying the text both ways, waking the thread) costs more than masking or counting
 * a few KB, which takes well under a millisecond.
 */
export const INLINE_TEXT_CHARACTERS = 4_096;

export class TextWorkClosedError extends Error {
  constructor() {
    super("the text-work pool is closed");
    this.name = "TextWorkClosedError";
  }
}

/** Everything on the caller's thread: for tools and tests that handle small texts only. */
export function createInlineTextWork(): TextWork {
  let isClosed = false;
  const stats = { inline: 0, pooled: 0 };
  const inline = <I, O>(work: (input: I) => O) => {
    return async (input: I): Promise<O> => {
      if (isClosed) throw new TextWorkClosedError();
      stats.inline += 1;
      return work(input);
    };
  };
  const mask = inline(maskChatMessages);
  const sealInline = inline(sealChatTurn);
  const resealInline = inline(resealChatTurn);
  return {
    countTokenUsage: inline(countTokenUsage),
    maskMessages: (messages, kinds) => mask({ messages, kinds }),
    sealChatTurn: async (input) => asBuffers(await sealInline(input)),
    resealChatTurn: async (input) => asBuffers(await resealInline(input)),
    stats,
    async close() {
      isClosed = true;
    },
  };
}

export interface TextWorkPoolOptions {
  /** worker threads at most (default: the cores but one, at least 1, at most 4) */
  maxThreads?: number;
  /**
   * threads kept running while idle (default 1, so that the first large prompt does not wait
   * for a thread to load the tokenizer; 0 starts them on demand, as tests that rarely need one do)
   */
  idleThreads?: number;
  /** texts shorter than this run inline (default INLINE_TEXT_CHARACTERS) */
  inlineBelowCharacters?: number;
}

/**
 * A pool of worker threads (piscina) for large texts, built once at start-up and closed at
 * shutdown. Work that fails in a thread rejects with the thread's error; work after `close()`
 * rejects with TextWorkClosedError.
 */
export function createTextWorkPool(options: TextWorkPoolOptions = {}): TextWork {
  const inlineBelow = options.inlineBelowCharacters ?? INLINE_TEXT_CHARACTERS;
  const maxThreads = options.maxThreads ?? Math.min(4, Math.max(1, availableParallelism() - 1));
  const pool = new Piscina({
    filename: workerEntry(),
    minThreads: Math.min(options.idleThreads ?? 1, maxThreads),
    maxThreads,
    idleTimeout: 60_000,
  });
  let isClosed = false;
  const stats = { inline: 0, pooled: 0 };

  async function run<I, O>(name: string, input: I, characters: number, inline: (input: I) => O): Promise<O> {
    if (isClosed) throw new TextWorkClosedError();
    if (characters < inlineBelow) {
      stats.inline += 1;
      return inline(input);
    }
    stats.pooled += 1;
    return (await pool.run(input, { name })) as O;
  }

  return {
    countTokenUsage: (input) =>
      run(
        "countTokenUsage",
        input,
        charactersOfMessages(input.messages) + sum(input.completionTexts.map((text) => text.length)),
        countTokenUsage,
      ),
    maskMessages: (messages, kinds) =>
      kinds.length === 0
        ? Promise.resolve(messages)
        : run("maskChatMessages", { messages, kinds }, charactersOfMessages(messages), maskChatMessages),
    sealChatTurn: async (input) =>
      asBuffers(
        await run(
          "sealChatTurn",
          input,
          charactersOfMessages(input.messages) + charactersOfResponse(input.response),
          sealChatTurn,
        ),
      ),
    // a byte of ciphertext costs less than a character masked: bytes count as characters
    resealChatTurn: async (input) =>
      asBuffers(
        await run(
          "resealChatTurn",
          input,
          input.requestCiphertext.byteLength + input.responseCiphertext.byteLength,
          resealChatTurn,
        ),
      ),
    stats,
    async close() {
      if (isClosed) return;
      isClosed = true;
      await pool.close();
    },
  };
}

/**
 * Where the pool's threads load their code from. From TypeScript sources (tests, `tsx`), a
 * small .mjs entry registers tsx in the thread and loads text-work-worker.ts. From the
 * gateway's bundle, this code is in dist/ and the worker was built beside it as
 * text-work-worker.js.
 */
function workerEntry(): string {
  const fromSource = import.meta.url.endsWith(".ts");
  return new URL(fromSource ? "./text-work-source-worker.mjs" : "./text-work-worker.js", import.meta.url)
    .href;
}

/** A sealed turn's bytes as Buffers (a worker's answer arrives as plain Uint8Arrays). */
function asBuffers(sealed: SealedChatTurn): SealedChatTurnBytes {
  return {
    requestCiphertext: asBuffer(sealed.requestCiphertext),
    responseCiphertext: asBuffer(sealed.responseCiphertext),
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
