import { describe, expect, it } from "vitest";
import { isValidIban, maskPii, passesLuhn } from "./pii-masking.ts";

describe("maskPii", () => {
  it.each([
    ["email", "write to jane.doe+work@example.co.uk today", "write to [EMAIL] today"],
    ["phone (international)", "call +44 20 7946 0958 now", "call [PHONE] now"],
    ["phone (US)", "ring (415) 555-2671", "ring [PHONE]"],
    ["card with spaces", "card 4111 1111 1111 1111 exp", "card [CARD] exp"],
    ["card with dashes", "5500-0000-0000-0004", "[CARD]"],
    ["IBAN", "pay DE89 3704 0044 0532 0130 00 please", "pay [IBAN] please"],
    ["compact IBAN", "GB82WEST12345698765432", "[IBAN]"],
    ["IPv4", "from 192.168.10.42 today", "from [IP] today"],
    ["IPv6", "host 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up", "host [IP] up"],
    ["OpenAI-style key", "key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123 here", "key [SECRET] here"],
    ["our own key", `use sk-${"a1B2".repeat(12)}`, "use [SECRET]"],
    ["AWS access key", "AKIAIOSFODNN7EXAMPLE", "[SECRET]"],
    ["GitHub token", `ghp_${"x".repeat(36)}`, "[SECRET]"],
  ])("masks %s", (_kind, input, expected) => {
    expect(maskPii(input)).toBe(expected);
  });

  it.each([
    ["a number that fails Luhn", "order 4111 1111 1111 1112 shipped"],
    ["an invalid IBAN checksum", "ref DE00 3704 0044 0532 0130 00"],
    ["a version number", "upgrade to 1.2.3.4000 soon"],
    ["a year and count", "in 2024 we sold 1500 units"],
    ["an out-of-range IP", "999.1.1.1 is not an address"],
    ["a word with @ but no domain", "meet @ noon, user@localhost"],
    ["a short sk- word", "sk-learn is a library"],
    ["a plain sentence", "The quick brown fox jumps over the lazy dog."],
    ["an ISO date", "due 2026-11-26"],
  ])("leaves %s alone", (_what, input) => {
    expect(maskPii(input)).toBe(input);
  });

  it("masks only the kinds asked for", () => {
    const text = "mail a@b.io from 10.0.0.1";
    expect(maskPii(text, ["email"])).toBe("mail [EMAIL] from 10.0.0.1");
    expect(maskPii(text, ["ip"])).toBe("mail a@b.io from [IP]");
    expect(maskPii(text, [])).toBe(text);
  });

  it("checks Luhn and IBAN checksums", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(isValidIban("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(isValidIban("GB83 WEST 1234 5698 7654 32")).toBe(false);
  });
});
