import { describe, expect, it } from "vitest";
import {
  conversationOf,
  DISPLAY_CHARACTERS_PER_LOG,
  DISPLAY_CHARACTERS_PER_TEXT,
} from "./conversation-view.ts";

const email = "someone@example.com";

describe("conversationOf", () => {
  it("shows roles, texts of every part, tool calls and the answer's choices", () => {
    const conversation = conversationOf(
      [
        {
          role: "user",
          name: "jo",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
      ],
      {
        choices: [
          {
            index: 0,
            finish_reason: "tool_calls",
            message: {
              role: "assistant",
              content: null,
              function_call: { name: "look", arguments: "{}" },
            },
          },
        ],
      },
      { mask: true },
    );
    expect(conversation.messages[0]).toMatchObject({
      role: "user",
      name: { text: "jo" },
      parts: [
        { type: "text", text: { text: "What is in this picture?" } },
        { type: "attachment", kind: "image_url" },
      ],
    });
    expect(JSON.stringify(conversation)).not.toContain("base64");
    expect(conversation.response).toMatchObject({
      type: "choices",
      choices: [
        {
          index: 0,
          finishReason: "tool_calls",
          message: { toolCalls: [{ id: null, name: { text: "look" } }] },
        },
      ],
    });
    expect(conversation.isTruncated).toBe(false);
  });

  it("cuts a long text to its share, and never shows personal data the cut splits", () => {
    const filler = "a ".repeat(DISPLAY_CHARACTERS_PER_TEXT / 2 - 4);
    // the address straddles the cut: its first characters are shown only when masked whole
    const text = `${filler}${email} ${"b ".repeat(100)}`;
    const masked = conversationOf([{ role: "user", content: text }], null, { mask: true });
    const shown = masked.messages[0]?.parts[0];
    if (shown?.type !== "text") throw new Error("expected a text part");
    expect(shown.text.isTruncated).toBe(true);
    expect(shown.text.length).toBe(text.length);
    expect(shown.text.text.length).toBeLessThanOrEqual(DISPLAY_CHARACTERS_PER_TEXT);
    expect(shown.text.text).toContain("[EMAIL]");
    expect(shown.text.text).not.toContain("someone");
    expect(masked.isTruncated).toBe(true);

    const stored = conversationOf([{ role: "user", content: text }], null, { mask: false });
    const unmasked = stored.messages[0]?.parts[0];
    if (unmasked?.type !== "text") throw new Error("expected a text part");
    expect(unmasked.text.text).toBe(text.slice(0, DISPLAY_CHARACTERS_PER_TEXT));
  });

  it("at the very end of the masked window, drops a piece of personal data cut in two", () => {
    // 800 addresses before it shrink the masked text by 9,600 characters, which brings the last
    // characters of the masked window (half an address: "someone") under the cut
    const addresses = `${email} `.repeat(800);
    const window = DISPLAY_CHARACTERS_PER_TEXT + 1_024;
    const text = `${addresses}${"c".repeat(window - addresses.length - 8)} ${email} ${"d".repeat(50)}`;
    expect(text.indexOf(email, addresses.length)).toBe(window - "someone".length);
    const masked = conversationOf([{ role: "user", content: text }], null, { mask: true });
    const shown = masked.messages[0]?.parts[0];
    if (shown?.type !== "text") throw new Error("expected a text part");
    expect(shown.text.text.startsWith("[EMAIL] [EMAIL] ")).toBe(true);
    expect(shown.text.text).not.toContain("someone");
  });

  it("spends a budget per log: texts past it are shown empty and flagged", () => {
    const big = "e".repeat(DISPLAY_CHARACTERS_PER_TEXT);
    const count = DISPLAY_CHARACTERS_PER_LOG / DISPLAY_CHARACTERS_PER_TEXT + 2;
    const conversation = conversationOf(
      Array.from({ length: count }, () => ({ role: "user", content: big })),
      { streamedText: "the answer" },
      { mask: true },
    );
    const lengths = conversation.messages.map((message) =>
      message.parts[0]?.type === "text" ? message.parts[0].text.text.length : -1,
    );
    expect(lengths.slice(0, count - 2).every((length) => length === DISPLAY_CHARACTERS_PER_TEXT)).toBe(true);
    expect(lengths.slice(count - 2)).toEqual([0, 0]);
    expect(conversation.response).toEqual({
      type: "stream",
      text: { text: "", length: "the answer".length, isTruncated: true },
    });
    expect(conversation.isTruncated).toBe(true);
  });

  it("shows nothing of a shape it does not know", () => {
    expect(conversationOf("not a list", { something: 1 }, { mask: true })).toEqual({
      messages: [],
      response: { type: "none" },
      isMasked: true,
      isTruncated: false,
    });
  });
});
