import { describe, expect, it } from "vitest";
import { SPECIAL_TOKEN_TEXTS } from "../../../../test/support/special-token-texts.ts";
import { isValidIban, maskPii, passesLuhn } from "./pii-masking.ts";

const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

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
    ["JWT", `auth ${JWT} ok`, "auth [SECRET] ok"],
    ["JWT after a dash, keeping what comes before", `x-${JWT}`, "x-[SECRET]"],
    ["JWT after a dash in a run with another dash", `a-b-${JWT}.`, "a-b-[SECRET]."],
    ["email with an underscore", "mail first_last@example.com", "mail [EMAIL]"],
    ["two emails joined by punctuation", "a@b.io...z@ex.com", "[EMAIL][EMAIL]"],
    ["an email right after another", "a@b.io+work@example.org", "[EMAIL][EMAIL]"],
    ["compressed IPv6", "via fe80::1 and 2001:db8::8a2e:370:7334 now", "via [IP] and [IP] now"],
    ["phone without separators after +", "dial +14155552671 now", "dial [PHONE] now"],
    ["phone followed by another number", "+44 20 7946 0958 185866533", "[PHONE] 185866533"],
    ["phone with dots", "415.555.2671", "[PHONE]"],
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
    ["single digits with spaces", "1 2 3 4 5 6 7 8 9"],
    ["a version number with a long last part", "1.2.3.400064 is out"],
    ["eyJ without two dots", `eyJ${"a".repeat(40)}.${"b".repeat(40)}`],
    ["a colon-separated time", "at 12:30:45 sharp"],
    // chat-format markers are text like any other
    ...SPECIAL_TOKEN_TEXTS.map((token) => [`the special token ${token}`, `before ${token} after`]),
  ])("leaves %s alone", (_what, input) => {
    expect(maskPii(input)).toBe(input);
  });

  it("masks only the kinds asked for", () => {
    const text = "mail a@b.io from 10.0.0.1";
    expect(maskPii(text, ["email"])).toBe("mail [EMAIL] from 10.0.0.1");
    expect(maskPii(text, ["ip"])).toBe("mail a@b.io from [IP]");
    expect(maskPii(text, [])).toBe(text);
  });

  it("masks PII next to special-token text", () => {
    expect(maskPii("<|im_start|>user a@b.io<|im_end|>")).toBe("<|im_start|>user [EMAIL]<|im_end|>");
  });

  // Each of these shapes took seconds at this length, the time growing with the square of it;
  // test/regular-expressions-are-linear.test.ts checks the patterns for that. Here: what they mask.
  const LENGTH = 100_000;
  const repeat = (unit: string) => unit.repeat(LENGTH / unit.length);
  it.each([
    ["dotted letters", repeat("a.")],
    ["@ between letters", repeat("a@")],
    ["dot and @", repeat("a.@")],
    ["JWT-like starts after dashes", repeat("-eyJ")],
    ["JWT-like starts after dots", repeat("eyJ.")],
    ["digits", repeat("1")],
    ["digits and dashes", repeat("1-")],
    ["digits and spaces", repeat("1 ")],
    ["hex and colons", repeat("abcd:ef")],
    ["IPv6 prefixes before long hex runs", repeat(`1:2:3:4:5:6::${"f".repeat(30)} `)],
    ["digit runs too long for a phone", repeat(`${"1234".repeat(7)}x `)],
    ["unicode", repeat("é中😀")],
    ["nested JSON", repeat('{"a":[')],
  ])("leaves a long run of %s alone", (_shape, input) => {
    expect(maskPii(input)).toBe(input);
  });

  it("masks every address in a long run of them", () => {
    const input = "a@b.io ".repeat(10_000);
    expect(maskPii(input)).toBe("[EMAIL] ".repeat(10_000));
  });

  it("checks Luhn and IBAN checksums", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(isValidIban("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(isValidIban("GB83 WEST 1234 5698 7654 32")).toBe(false);
  });
});
