import { createHash } from "node:crypto";
import type { ChatCompletionRequest } from "@dsc/api-client";

/** Whose data a cache entry holds: an organization's, and the end user's it named in `user`. */
export interface CacheSubject {
  organizationId: string;
  endUserId?: string | null;
}

/** One entry: its owner and the hash of the request it answers. */
export interface CacheEntryRef extends CacheSubject {
  hash: string;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  stores: number;
  /** store failures answered as misses (the cache never fails a request) */
  errors: number;
}

/**
 * Answers of identical requests, for a time. Reads and writes never throw: a store that
 * cannot answer counts an error and behaves as a miss. Every entry is indexed by its subjects
 * (organization, end user), so that an erasure can purge them.
 */
export interface ResponseCache {
  get(ref: CacheEntryRef): Promise<string | null>;
  set(ref: CacheEntryRef, value: string, ttlMs: number): Promise<void>;
  /** Deletes every entry of an organization, or of one of its end users; returns how many. */
  purge(subject: CacheSubject): Promise<number>;
  readonly stats: ResponseCacheStats;
}

/**
 * Requests whose answer is worth reusing by default: temperature 0, one choice, no stream.
 * (Other requests would get a different answer each time, so a cached one would be wrong.)
 */
export function isDeterministicRequest(request: ChatCompletionRequest): boolean {
  return request.stream !== true && request.temperature === 0 && (request.n ?? 1) === 1;
}

// How an answer is delivered, not what it says: not part of the key.
const DELIVERY_FIELDS = new Set(["stream", "stream_options"]);

/**
 * SHA-256 of the organization, the model and every field of the request that can change the
 * answer: messages, sampling parameters, tools, response format, `user` (so that entries
 * belong to one end user and an erasure finds them) and any field we do not know, which the
 * upstream receives. Object keys are sorted first, so the order of fields does not matter.
 */
export function responseCacheKey(input: {
  organizationId: string;
  modelId: string;
  request: ChatCompletionRequest;
}): string {
  const fields = Object.fromEntries(
    Object.entries(input.request).filter(([name]) => !DELIVERY_FIELDS.has(name) && name !== "model"),
  );
  const material = canonicalJson({ v: 1, org: input.organizationId, model: input.modelId, request: fields });
  return createHash("sha256").update(material).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Subject index names: the organization's, and each end user's under it. */
export function subjectIndexName(subject: CacheSubject): string {
  if (!subject.endUserId) return "org";
  return `user:${createHash("sha256").update(subject.endUserId).digest("hex").slice(0, 32)}`;
}

/**
 * Where every store keeps an entry and its subjects' indexes. The organization is a hash tag
 * (`{org_…}`), so that in a Redis cluster an entry and its indexes share a slot; keys hold
 * hashes, never content.
 */
export function responseCacheKeys(prefix: string) {
  const subject = (of: CacheSubject) =>
    `${prefix}cache:{${of.organizationId}}:subject:${subjectIndexName(of)}`;
  return {
    entry: (ref: CacheEntryRef) => `${prefix}cache:{${ref.organizationId}}:${ref.hash}`,
    subject,
    /**
     * The indexes that list an entry: its organization's, and its end user's when it names one,
     * so that purging the organization also finds its end users' entries.
     */
    subjectsOf: (ref: CacheEntryRef) => [
      subject({ organizationId: ref.organizationId }),
      ...(ref.endUserId ? [subject(ref)] : []),
    ],
  };
}
