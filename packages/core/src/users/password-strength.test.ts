import { describe, expect, it } from "vitest";
import { DomainError } from "../errors/domain-error.ts";
import { assertStrongPassword, STRENGTH_CHECKED_LENGTH } from "./password-strength.ts";

const person = { userInputs: ["ada.lovelace@example.com", "Ada Lovelace"] };

function refusal(password: string, context = person): DomainError {
  try {
    assertStrongPassword(password, context);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`"${password}" was accepted`);
}

describe("assertStrongPassword", () => {
  it("accepts a passphrase of unrelated words and a random string", () => {
    expect(() => assertStrongPassword("correct horse battery staple", person)).not.toThrow();
    expect(() => assertStrongPassword("xK9#mP2$vL7@nQ4!", person)).not.toThrow();
  });

  it("refuses a common password with zxcvbn's advice, at the field it names", () => {
    const error = refusal("password1234", person);
    expect(error.code).toBe("invalid");
    expect(error.param).toBe("password");
    expect(error.message).toMatch(/^This password is too easy to guess\. /);
    expect(error.message).toContain("This is similar to a commonly used password.");
    expect(refusal("1a1a1a1a1a1a1a", person).message).toContain("Repeated character patterns");
  });

  it("counts the person's e-mail address and name as guessable, also run together", () => {
    expect(refusal("ada.lovelace@example.com").message).toContain(
      "There should not be any personal or page related data.",
    );
    // strong for someone else: only the person's own details make it guessable
    expect(() => assertStrongPassword("adalovelace1815", { userInputs: [] })).not.toThrow();
    expect(refusal("adalovelace1815").message).toContain("personal");
  });

  it("keeps the length bounds, naming the caller's field", () => {
    expect(refusal("Tr0ub4dor&3").message).toBe("The password must be at least 12 characters.");
    const long = refusal("x".repeat(201));
    expect(long.message).toBe("The password must be at most 200 characters.");
    try {
      assertStrongPassword("short", person, "newPassword");
    } catch (error) {
      expect((error as DomainError).param).toBe("newPassword");
    }
  });

  it("judges only the first 64 characters, so hostile 200-character inputs finish and long strong ones pass", () => {
    expect(STRENGTH_CHECKED_LENGTH).toBe(64);
    // repeated patterns make zxcvbn's matchers work hardest; each of these completes
    for (const hostile of [
      "a".repeat(200),
      "1a".repeat(100),
      "abcdefghijklmnopqrstuvwxyz".repeat(8),
      "19801231".repeat(25),
    ]) {
      expect(refusal(hostile).code).toBe("invalid");
    }
    // a random block repeated is judged strong by zxcvbn; what matters is that the check ends
    expect(() => assertStrongPassword("a@4$1!0o3e".repeat(20), person)).not.toThrow();
    expect(() =>
      assertStrongPassword(`correct horse battery staple ${"a".repeat(170)}`, person),
    ).not.toThrow();
    // what comes after the judged part cannot rescue a weak start
    expect(refusal(`${"a".repeat(64)}correct horse battery staple`).code).toBe("invalid");
  });
});
