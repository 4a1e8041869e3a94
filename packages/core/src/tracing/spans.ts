import {
  type Attributes,
  context,
  type Link,
  propagation,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from "@opentelemetry/api";

// The API's proxy tracer: a no-op until the gateway registers the SDK (apps/gateway/src/tracing),
// then the SDK's tracer. Core never depends on the SDK.
const tracer = trace.getTracer("@dsc/core");

/**
 * Whether the code runs for a traced request: a span that records is active. Without the SDK
 * the API's context is always empty, so this costs one lookup and allocates nothing; helpers
 * check it first, before they build a name or attributes.
 */
export function isTraced(): boolean {
  return trace.getSpan(context.active())?.isRecording() === true;
}

/**
 * Runs `work` in a child span of the active span, which ends when `work` settles (an error
 * marks it failed, by the error's name only: messages may quote input). Without a recording
 * span (tracing off, or the trace not sampled) `work` runs alone and gets null.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes | undefined,
  work: (span: Span | null) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!isTraced()) return work(null);
  return tracer.startActiveSpan(name, { kind, attributes }, (span) => runAndEnd(span, work));
}

/**
 * Runs `work` in a span of its own trace, whatever is active: work done for many requests at
 * once (a batch written off the response path) belongs to none of them. Meant for work that
 * runs at most a few times a second: without the SDK it costs the API's no-op span.
 */
export function withRootSpan<T>(
  name: string,
  attributes: Attributes | undefined,
  work: (span: Span) => Promise<T>,
  links: Link[] = [],
): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes, root: true, links }, (span) =>
    runAndEnd(span, work),
  );
}

/** Most links a batch's span carries: the SDK's default span link limit, which drops the rest anyway. */
export const MAX_BATCH_LINKS = 128;

/**
 * What a writer that batches records off the response path keeps of their traces: `mark`, as a
 * record is queued, starts and ends a short child span of the request (`name`, e.g. "usage
 * record queued"), so that the request's trace shows the write; `linksOf` gives a batch's span
 * links to those spans (at most MAX_BATCH_LINKS), so that the batch leads back to its
 * requests. Kept by the record object itself (a WeakMap): nothing to remove, no cost untraced.
 */
export interface QueuedTraces<T extends object> {
  mark(record: T): void;
  /** What was marked on `from` is `to`'s from now on (a record the writer turned into another). */
  handOver(from: T, to: T): void;
  linksOf(batch: readonly T[]): Link[];
}

export function queuedTraces<T extends object>(name: string): QueuedTraces<T> {
  const queued = new WeakMap<T, SpanContext>();
  return {
    mark(record) {
      // the request's span may have ended (usage is counted after the response went out): its
      // context still says whether the trace is sampled, and a child of it still belongs to it
      const parent = trace.getSpanContext(context.active());
      if (!parent || (parent.traceFlags & TraceFlags.SAMPLED) === 0) return;
      const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL });
      span.end();
      queued.set(record, span.spanContext());
    },
    handOver(from, to) {
      const queuedAt = queued.get(from);
      if (!queuedAt) return;
      queued.delete(from);
      queued.set(to, queuedAt);
    },
    linksOf(batch) {
      const links: Link[] = [];
      for (const record of batch) {
        if (links.length >= MAX_BATCH_LINKS) break;
        const queuedAt = queued.get(record);
        if (queuedAt) links.push({ context: queuedAt });
      }
      return links;
    },
  };
}

/**
 * A child span of the active span that the caller ends (work that outlives the call that
 * started it, such as a stream); null when nothing is traced.
 */
export function startChildSpan(name: string, kind: SpanKind, attributes: () => Attributes): Span | null {
  if (!isTraced()) return null;
  return tracer.startSpan(name, { kind, attributes: attributes() });
}

/** Runs `work` with `span` active, so that the spans it starts are its children. */
export function runInSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Marks a span failed with the error's name (`error.type`), never its message or stack. */
export function markSpanFailed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute("error.type", errorTypeOf(error));
}

/**
 * Adds the active trace's `traceparent` (and `tracestate`) to headers an outgoing request will
 * carry. Without the SDK the API's propagator writes nothing.
 */
export function injectTraceContext(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}

async function runAndEnd<T>(span: Span, work: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await work(span);
  } catch (error) {
    markSpanFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function errorTypeOf(error: unknown): string {
  if (typeof error === "string") return error;
  if (error instanceof Error) {
    // a ProviderError's kind and a DomainError's code say more than their class
    const detail = (error as { kind?: unknown; code?: unknown }).kind ?? (error as { code?: unknown }).code;
    return typeof detail === "string" ? `${error.name}:${detail}` : error.name;
  }
  return "unknown";
}
