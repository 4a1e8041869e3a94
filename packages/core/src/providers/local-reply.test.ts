import type { ChatCompletionRequest } from "@dsc/api-client";
import { describe, expect, it } from "vitest";
import { SPECIAL_TOKEN_TEXTS } from "../../../../test/support/special-token-texts.ts";
import { countTokens } from "../tokens/count-tokens.ts";
import { composeLocalReply } from "./local-reply.ts";

const request = (content: string, overrides: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: "deepseek-chst-1.0",
  messages: [{ role: "user", content }],
  ...overrides,
});

describe("composeLocalReply", () => {
  it.each(SPECIAL_TOKEN_TEXTS)("echoes and truncates a message quoting %s as text", (token) => {
    const whole = composeLocalReply(request(`say ${token} twice ${token}`));
    expect(whole.content).toContain(`say ${token} twice ${token}`);
    expect(whole.choiceTokens).toBe(countTokens(whole.content ?? ""));

    // max_tokens makes it re-encode the reply, echo included
    const cut = composeLocalReply(request(`${token} `.repeat(20), { max_tokens: 45 }));
    expect(cut.finishReason).toBe("length");
    expect(whole.content?.length).toBeGreaterThan(cut.content?.length ?? 0);
    expect(cut.choiceTokens).toBeLessThanOrEqual(45);
  });

  it("counts a prompt of 300,000 letters without spaces", () => {
    const reply = composeLocalReply(request("a".repeat(300_000), { max_tokens: 5 }));
    // 3 for the reply, 3 for the message, 37,500 for its text (256-letter chunks)
    expect(reply.promptTokens).toBe(3 + 3 + 37_500);
    expect(reply.choiceTokens).toBeLessThanOrEqual(5);
  });
});
