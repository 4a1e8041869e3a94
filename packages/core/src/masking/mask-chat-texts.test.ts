import type { ChatCompletion, ChatMessage } from "@dsc/api-client";
import { describe, expect, it } from "vitest";
import { maskMessages, maskResponse } from "./mask-chat-texts.ts";
import { ALL_PII_KINDS } from "./pii-masking.ts";

const EMAIL = "jane.doe@example.com";

describe("maskMessages", () => {
  it("masks every text of every message shape: parts, names, refusals, tool calls and tool results", () => {
    const messages = [
      { role: "system", content: [{ type: "text", text: `admin is ${EMAIL}` }], name: EMAIL },
      {
        role: "user",
        content: [
          { type: "text", text: "first part" },
          { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          { type: "text", text: `write to ${EMAIL}` },
        ],
      },
      {
        role: "assistant",
        content: null,
        refusal: `not for ${EMAIL}`,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: `mail ${EMAIL}`, arguments: JSON.stringify({ to: EMAIL, n: 1 }) },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: `sent to ${EMAIL}` },
      { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: `bounced: ${EMAIL}` }] },
    ] as ChatMessage[];

    const masked = maskMessages(messages, ALL_PII_KINDS);
    expect(JSON.stringify(masked)).not.toContain(EMAIL);
    const assistant = masked[2] as { tool_calls: { function: { name: string; arguments: string } }[] };
    const fn = assistant.tool_calls[0]?.function;
    // arguments stay JSON, with the placeholder in place of the address
    expect(JSON.parse(fn?.arguments ?? "")).toEqual({ to: "[EMAIL]", n: 1 });
    expect(fn?.name).toBe("mail [EMAIL]");
    // what holds no text is kept as it was
    expect((masked[1] as { content: unknown[] }).content[1]).toEqual(
      (messages[1] as { content: unknown[] }).content[1],
    );
    expect(masked[2]).toMatchObject({ content: null, refusal: "not for [EMAIL]" });
    expect(masked[3]).toMatchObject({ tool_call_id: "call_1", content: "sent to [EMAIL]" });
  });

  it("changes nothing when no kind is asked for", () => {
    const messages: ChatMessage[] = [{ role: "user", content: EMAIL }];
    expect(maskMessages(messages, [])).toBe(messages);
  });
});

describe("maskResponse", () => {
  it("masks an answer's content, refusal and tool calls", () => {
    const choices: ChatCompletion["choices"] = [
      {
        index: 0,
        message: {
          role: "assistant",
          content: `I will write to ${EMAIL}`,
          refusal: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "send", arguments: `{"to":"${EMAIL}"}` } },
          ],
        },
        finish_reason: "tool_calls",
      },
    ];
    const masked = maskResponse({ choices }, ["email"]);
    expect(JSON.stringify(masked)).not.toContain(EMAIL);
    expect(masked).toEqual({
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "I will write to [EMAIL]",
            refusal: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "send", arguments: '{"to":"[EMAIL]"}' } },
            ],
          },
          finish_reason: "tool_calls",
        },
      ],
    });
  });
});
