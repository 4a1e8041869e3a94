import { Worker } from "node:worker_threads";
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

/** Checks waiting for the thread; more are refused (each costs it 10 to 80 ms). */
export const MAX_PENDING_STRENGTH_CHECKS = 32;
const CHECK_TIMEOUT_MS = 10_000;

/**
 * The estimator's thread. zxcvbn costs 10 ms for an ordinary passphrase and up to 80 ms for a
 * hostile one of 64 characters, all synchronous: on the server's event loop that would stall
 * every other request while a stranger types passwords into the sign-up form. CommonJS, loaded
 * from the running server's node_modules, so the same source works from TypeScript and from
 * the dashboard's bundle.
 */
const ESTIMATOR_THREAD_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { ZxcvbnFactory } = require("@zxcvbn-ts/core");
const common = require("@zxcvbn-ts/language-common");
const english = require("@zxcvbn-ts/language-en");
const estimator = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
  // every combination of look-alike substitutions is matched again: with the default (100)
  // a 64-character "a@4$1!0o3e..." took half a second; 4 keeps "p@ssw0rd" found
  l33tMaxSubstitutions: 4,
});
parentPort.on("message", ({ id, password, userInputs }) => {
  try {
    const result = estimator.check(password, userInputs);
    parentPort.postMessage({ id, score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions });
  } catch (error) {
    parentPort.postMessage({ id, failure: String((error && error.message) || error) });
  }
});
`;

interface StrengthVerdict {
  score: number;
  warning: string | null;
  suggestions: string[];
}

interface Pending {
  resolve(verdict: StrengthVerdict): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

let thread: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

const UNAVAILABLE = "Passwords cannot be checked right now. Try again in a moment.";

function estimatorThread(): Worker {
  if (thread) return thread;
  const started = new Worker(ESTIMATOR_THREAD_SOURCE, { eval: true });
  // an idle estimator never keeps a process alive
  started.unref();
  started.on("message", (reply: { id: number; failure?: string } & StrengthVerdict) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    clearTimeout(waiting.timer);
    if (reply.failure) waiting.reject(new Error(`password strength check failed: ${reply.failure}`));
    else waiting.resolve(reply);
  });
  const stop = (error: Error) => {
    if (thread === started) thread = undefined; // the next check starts a new thread
    for (const [id, waiting] of pending) {
      pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
  };
  started.on("error", stop);
  started.on("exit", (code) => stop(new Error(`the password strength thread stopped (exit ${code})`)));
  thread = started;
  return started;
}

function estimate(password: string, userInputs: string[]): Promise<StrengthVerdict> {
  if (pending.size >= MAX_PENDING_STRENGTH_CHECKS) {
    return Promise.reject(new DomainError("unavailable", UNAVAILABLE));
  }
  const worker = estimatorThread();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new DomainError("unavailable", UNAVAILABLE));
    }, CHECK_TIMEOUT_MS);
    timer.unref();
    pending.set(id, { resolve, reject, timer });
    worker.postMessage({ id, password, userInputs });
  });
}

/**
 * Refuses a password people could guess: one that is too short or too long, or that zxcvbn
 * scores below 3, counting the person's own details (e-mail address, name) as guessable words.
 * For passwords people choose themselves; one an admin sets must be replaced anyway. The
 * estimate runs on a thread of its own, never on the caller's event loop.
 */
export async function assertStrongPassword(
  password: string,
  context: { userInputs: readonly (string | null | undefined)[] },
  param = "password",
): Promise<void> {
  assertAcceptablePassword(password, param);
  const userInputs = context.userInputs
    // "Ada Lovelace" <ada.lovelace@…> is guessable as a whole, in pieces and run together
    .flatMap((value) =>
      value ? [value, value.replace(/[@.\s_+-]+/g, ""), ...value.split(/[@.\s_+-]+/)] : [],
    )
    .filter((value) => value.length >= 3)
    .map((value) => value.slice(0, STRENGTH_CHECKED_LENGTH));
  const verdict = await estimate(password.slice(0, STRENGTH_CHECKED_LENGTH), userInputs);
  if (verdict.score >= MIN_PASSWORD_SCORE) return;
  const advice = [verdict.warning, ...verdict.suggestions]
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
