import fc from "fast-check";
import { countTokens as countEncodedTokens } from "gpt-tokenizer/encoding/o200k_base";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { describe, expect, it } from "vitest";
import { SPECIAL_TOKEN_TEXTS } from "../../../../test/support/special-token-texts.ts";
import {
  countChatTokens,
  countTokens,
  estimateChatTokens,
  estimateTokens,
  ORDINARY_TEXT,
} from "./count-tokens.ts";

const ENGLISH = "Hello, how are you doing today? I would like to know the weather in Paris this weekend.";
const CODE = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
const CHINESE = "请帮我把这段话翻译成英文，谢谢。今天天气很好，我们去公园散步吧。";
const GERMAN = "Grüße aus München: das Wetter ist schön, die Straßen sind voller Leute.";

/** gpt-tokenizer's own count, reading special-token text as text */
const exactCount = (text: string) => countEncodedTokens(text, ORDINARY_TEXT);

describe("countTokens", () => {
  it("counts ordinary text exactly as gpt-tokenizer does", () => {
    for (const text of [
      ENGLISH,
      CODE,
      CHINESE,
      GERMAN,
      [ENGLISH, CODE, CHINESE, GERMAN].join("\n").repeat(40),
    ]) {
      expect(countTokens(text), text.slice(0, 40)).toBe(countEncodedTokens(text));
    }
    expect(countTokens("")).toBe(0);
  });

  it("counts special-token text as ordinary text instead of throwing", () => {
    for (const token of SPECIAL_TOKEN_TEXTS) {
      // as text, each is several tokens (`<|`, `endo`, …), not the one special token
      expect(countTokens(token), token).toBe(exactCount(token));
      expect(countTokens(token), token).toBeGreaterThan(1);
      const sentence = `Please ignore ${token} and go on.${token}`;
      expect(countTokens(sentence), token).toBe(exactCount(sentence));
      expect(countChatTokens([{ role: "user", content: sentence }]), token).toBe(
        3 + 3 + exactCount(sentence),
      );
    }
  });

  // a run without spaces longer than one piece may count a little differently, in linear time
  it.each([
    ["one letter", "a".repeat(5_000)],
    [
      "letters",
      Array.from({ length: 5_000 }, (_, i) => "qwertyuiopasdfghjklzxcvbnm"[(i * 7919) % 26]).join(""),
    ],
    ["base64", Buffer.from(Array.from({ length: 3_750 }, (_, i) => (i * 7919) % 256)).toString("base64")],
    ["spaces", `${" ".repeat(5_000)}x`],
    ["punctuation", "!?".repeat(2_500)],
    [
      "CJK",
      Array.from({ length: 5_000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 2_000))).join(""),
    ],
    ["emoji", "😀🎉".repeat(1_250)],
    ["a long run inside prose", `${ENGLISH} ${"-eyJ".repeat(1_250)} ${GERMAN}`],
  ])("counts a long run of %s within 5 % of the exact count", (_what, text) => {
    const ratio = countTokens(text) / exactCount(text);
    expect(ratio).toBeGreaterThan(0.95);
    expect(ratio).toBeLessThan(1.05);
  });

  it("counts a run of 300,000 letters (which took 46 s to tokenize whole)", () => {
    // 256-letter chunks of 32 eight-letter tokens, and 224 letters of 28 more
    expect(countTokens("a".repeat(300_000))).toBe(37_500);
  });

  // Only pieces longer than 256 characters are counted in chunks: the text around them counts
  // exactly as the tokenizer counts it, as the sum of its pieces.
  it("counts the text around long pieces exactly", () => {
    const short = fc.string({
      unit: fc.constantFrom(..."aZé中😀 \n\t'.,-_/!?019", "'s", " \r\n", "<|endoftext|>"),
      maxLength: 12,
    });
    const long = fc
      .tuple(
        fc.constantFrom("a", "Ab", "!", " ", "\t", "中", "😀", "-eyJ"),
        fc.integer({ min: 130, max: 300 }),
      )
      .map(([unit, times]) => unit.repeat(times));
    fc.assert(
      fc.property(fc.array(fc.tuple(short, long), { minLength: 1, maxLength: 3 }), short, (parts, last) => {
        const text = parts.flat().join("") + last;
        const pieces = [...text.matchAll(O200K_TOKEN_SPLIT_REGEX)].map((match) => match[0]);
        const longPieces = pieces.filter((piece) => piece.length > 256);
        const expected =
          exactCount(text) -
          longPieces.reduce((sum, piece) => sum + exactCount(piece), 0) +
          longPieces.reduce((sum, piece) => sum + countTokens(piece), 0);
        expect(countTokens(text)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});

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
