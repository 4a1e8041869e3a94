import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { DomainError } from "../errors/domain-error.ts";
import { assertAcceptablePassword } from "./password-policy.ts";

/** zxcvbn's score from 0 to 4; 3 is "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

/**
 * zxcvbn's matching grows faster than the password's length (every substring is looked up), so
 * only this many characters are judged: a longer password whose start is strong is strong, and
 * one of a thousand characters costs what one of 64 does.
 */
export const STRENGTH_CHECKED_LENGTH = 64;

// the dictionaries are large: built at the first check, not when the module loads
let estimator: ZxcvbnFactory | undefined;

function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
    // every combination of look-alike substitutions is matched again: with the default (100)
    // a 64-character "a@4$1!0o3e…" took half a second; 4 keeps "p@ssw0rd" found
    l33tMaxSubstitutions: 4,
  });
  return estimator;
}

/**
 * Refuses a password people could guess: one that is too short or too long, or that zxcvbn
 * scores below 3, counting the person's own details (e-mail address, name) as guessable words.
 * For passwords people choose themselves; one an admin sets must be replaced anyway.
 */
export function assertStrongPassword(
  password: string,
  context: { userInputs: readonly (string | null | undefined)[] },
  param = "password",
): void {
  assertAcceptablePassword(password, param);
  const userInputs = context.userInputs
    // "Ada Lovelace" <ada.lovelace@…> is guessable as a whole, in pieces and run together
    .flatMap((value) =>
      value ? [value, value.replace(/[@.\s_+-]+/g, ""), ...value.split(/[@.\s_+-]+/)] : [],
    )
    .filter((value) => value.length >= 3)
    .map((value) => value.slice(0, STRENGTH_CHECKED_LENGTH));
  const result = strengthEstimator().check(password.slice(0, STRENGTH_CHECKED_LENGTH), userInputs);
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const advice = [result.feedback.warning, ...result.feedback.suggestions]
    .filter((sentence): sentence is string => Boolean(sentence))
    .map((sentence) => sentence.trim().replace(/([^.!?])$/, "$1."));
  throw new DomainError(
    "invalid",
    ["This password is too easy to guess.", ...advice, "Try a longer passphrase of unrelated words."]
      .join(" ")
      .trim(),
    param,
  );
}
