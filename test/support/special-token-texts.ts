/**
 * The texts of the tokenizers' special tokens (o200k and its predecessors). A prompt that quotes
 * them (someone asking about tokenizers) is ordinary text to the platform: counted, masked,
 * logged and forwarded like any other, never an error.
 */
export const SPECIAL_TOKEN_TEXTS = [
  "<|endoftext|>",
  "<|im_start|>",
  "<|im_end|>",
  "<|fim_prefix|>",
  "<|fim_middle|>",
  "<|fim_suffix|>",
  "<|endofprompt|>",
] as const;
