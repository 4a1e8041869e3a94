import { describe, expect, it } from "vitest";
import { countChatTokens, countTokens, estimateChatTokens, estimateTokens } from "./count-tokens.ts";

const ENGLISH = "Hello, how are you doing today? I would like to know the weather in Paris this weekend.";
const CODE = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
const CHINESE = "请帮我把这段话翻译成英文，谢谢。今天天气很好，我们去公园散步吧。";
const GERMAN = "Grüße aus München: das Wetter ist schön, die Straßen sind voller Leute.";

describe("estimateTokens", () => {
  it("counts ASCII at four characters per token and every other character as one", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateTokens("ü")).toBe(1);
    expect(estimateTokens("中文")).toBe(2);
    expect(estimateTokens("abcd中")).toBe(2);
  });

  it("stays near the real count for English and code, and above it for CJK text", () => {
    for (const text of [ENGLISH, CODE, GERMAN]) {
      const ratio = estimateTokens(text) / countTokens(text);
      expect(ratio, text).toBeGreaterThan(0.6);
      expect(ratio, text).toBeLessThan(1.5);
    }
    expect(estimateTokens(CHINESE)).toBeGreaterThanOrEqual(countTokens(CHINESE));
  });
});

describe("estimateChatTokens", () => {
  it("adds the chat format's tokens as countChatTokens does: 3 per message, 1 per name, 3 for the reply", () => {
    const messages = [
      { role: "system" as const, content: "abcdefgh" },
      { role: "user" as const, name: "dana", content: [{ type: "text" as const, text: "abcd" }] },
    ];
    expect(estimateChatTokens(messages)).toBe(3 + (3 + 2) + (3 + 1 + 1 + 1));
    // the same overhead around the tokenizer's counts
    expect(countChatTokens(messages)).toBe(
      3 + (3 + countTokens("abcdefgh")) + (3 + countTokens("abcd") + 1 + countTokens("dana")),
    );
  });
});
