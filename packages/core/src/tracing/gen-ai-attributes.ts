/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions (as of
 * @opentelemetry/semantic-conventions 1.45, where they are still incubating: OpenTelemetry
 * advises copying incubating names rather than importing them, as they may move). Never a
 * prompt, an answer, a key or an end-user id: traces leave the platform.
 */
export const GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
/** replaces the deprecated `gen_ai.system` */
export const GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
export const GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
export const GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature";
export const GEN_AI_REQUEST_TOP_P = "gen_ai.request.top_p";
export const GEN_AI_REQUEST_STREAM = "gen_ai.request.stream";
export const GEN_AI_REQUEST_CHOICE_COUNT = "gen_ai.request.choice.count";
export const GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
export const GEN_AI_RESPONSE_ID = "gen_ai.response.id";
export const GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
export const GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

export const GEN_AI_OPERATION_CHAT = "chat";
