import type { ChatCompletion, ChatCompletionRequest } from "@dsc/api-client";
import type { Model } from "@dsc/db";
import { type Attributes, type Span, SpanKind } from "@opentelemetry/api";
import type { TokenUsage } from "../tokens/token-usage.ts";
import {
  GEN_AI_OPERATION_CHAT,
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_CHOICE_COUNT,
  GEN_AI_REQUEST_MAX_TOKENS,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_REQUEST_STREAM,
  GEN_AI_REQUEST_TEMPERATURE,
  GEN_AI_REQUEST_TOP_P,
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
} from "../tracing/gen-ai-attributes.ts";
import { markSpanFailed, runInSpan, startChildSpan } from "../tracing/spans.ts";

/**
 * The GenAI client span of one model call ("chat {model}"), from the call to the provider until
 * the usage is known: after the answer for JSON, at the end of a stream. The upstream's attempts
 * are its children. Untraced requests get one shared no-op.
 */
export interface GenerationSpan {
  /** runs the provider call with the span active; a rejection fails and ends the span */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** the answer's id, model and finish reasons (a JSON answer) */
  answered(completion: Pick<ChatCompletion, "id" | "model" | "choices">): void;
  /** ends the span with the tokens used; `failureStatus` marks a stream that failed after its start */
  end(usage: TokenUsage | null, failureStatus?: number | null): void;
}

/** for answers without a model call (a cached one) and untraced requests */
export const UNTRACED_GENERATION: GenerationSpan = {
  run: (work) => work(),
  answered() {},
  end() {},
};

export function startGenerationSpan(request: ChatCompletionRequest, model: Model): GenerationSpan {
  const span = startChildSpan(`${GEN_AI_OPERATION_CHAT} ${request.model}`, SpanKind.CLIENT, () =>
    requestAttributes(request, model),
  );
  return span ? tracedGeneration(span, model) : UNTRACED_GENERATION;
}

function tracedGeneration(span: Span, model: Model): GenerationSpan {
  let isEnded = false;
  let isAnswered = false;
  const end = () => {
    if (isEnded) return;
    isEnded = true;
    span.end();
  };
  return {
    async run(work) {
      try {
        return await runInSpan(span, work);
      } catch (error) {
        markSpanFailed(span, error);
        end();
        throw error;
      }
    },
    answered(completion) {
      isAnswered = true;
      span.setAttributes({
        [GEN_AI_RESPONSE_ID]: completion.id,
        [GEN_AI_RESPONSE_MODEL]: completion.model,
        [GEN_AI_RESPONSE_FINISH_REASONS]: completion.choices.map((choice) => String(choice.finish_reason)),
      });
    },
    end(usage, failureStatus = null) {
      // a stream's chunks carry the model asked for
      if (!isAnswered) span.setAttribute(GEN_AI_RESPONSE_MODEL, model.id);
      if (usage) {
        span.setAttributes({
          [GEN_AI_USAGE_INPUT_TOKENS]: usage.promptTokens,
          [GEN_AI_USAGE_OUTPUT_TOKENS]: usage.completionTokens,
        });
      }
      if (failureStatus !== null) markSpanFailed(span, String(failureStatus));
      end();
    },
  };
}

/** What the request asked for, never its messages, tools or end user. */
function requestAttributes(request: ChatCompletionRequest, model: Model): Attributes {
  const attributes: Attributes = {
    [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_CHAT,
    // an OpenAI-compatible upstream speaks OpenAI's API, whoever serves it (as OpenAI's own
    // client instrumentations say); the built-in model is this platform's
    [GEN_AI_PROVIDER_NAME]: model.provider === "LOCAL" ? "dsc.local" : "openai",
    [GEN_AI_REQUEST_MODEL]: request.model,
    [GEN_AI_REQUEST_STREAM]: request.stream === true,
  };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === "number") attributes[GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  if (typeof request.temperature === "number") attributes[GEN_AI_REQUEST_TEMPERATURE] = request.temperature;
  if (typeof request.top_p === "number") attributes[GEN_AI_REQUEST_TOP_P] = request.top_p;
  if (typeof request.n === "number" && request.n !== 1) attributes[GEN_AI_REQUEST_CHOICE_COUNT] = request.n;
  return attributes;
}
