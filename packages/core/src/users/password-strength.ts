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

/** A running estimator and the checks it owes an answer. */
interface EstimatorThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

let current: EstimatorThread | undefined;
let nextId = 0;

const UNAVAILABLE = "Passwords cannot be checked right now. Try again in a moment.";

function estimatorThread(): EstimatorThread {
  if (current) return current;
  // no inherited flags: `--input-type=module` (or a loader) would change how the source reads
  const worker = new Worker(ESTIMATOR_THREAD_SOURCE, { eval: true, execArgv: [] });
  const started: EstimatorThread = { worker, pending: new Map() };
  worker.on("message", (reply: { id: number; failure?: string } & StrengthVerdict) => {
    const waiting = started.pending.get(reply.id);
    if (!waiting) return;
    forget(started, reply.id);
    clearTimeout(waiting.timer);
    if (reply.failure) {
      console.error("password strength check failed:", reply.failure);
      waiting.reject(new DomainError("unavailable", UNAVAILABLE));
    } else waiting.resolve(reply);
  });
  // only this thread's checks fail with it; the next check starts a new thread
  const stop = (cause: string) => {
    if (current === started) current = undefined;
    if (started.pending.size > 0) console.error("password strength thread stopped:", cause);
    for (const [id, waiting] of started.pending) {
      forget(started, id);
      clearTimeout(waiting.timer);
      waiting.reject(new DomainError("unavailable", UNAVAILABLE));
    }
  };
  // a thread that cannot load zxcvbn (a broken install) says so in the server's log
  worker.on("error", (error) => stop(String(error.message)));
  worker.on("exit", (code) => stop(`exit ${code}`));
  // after the listeners, which would ref it again: an idle estimator never keeps a process alive
  worker.unref();
  current = started;
  return started;
}

/**
 * The thread holds the process open exactly while it owes answers: a script waiting for a
 * check must not exit under it, and an idle thread must not keep a server from stopping.
 */
function owe(thread: EstimatorThread, id: number, waiting: Pending): void {
  if (thread.pending.size === 0) thread.worker.ref();
  thread.pending.set(id, waiting);
}

function forget(thread: EstimatorThread, id: number): void {
  if (thread.pending.delete(id) && thread.pending.size === 0) thread.worker.unref();
}

function estimate(password: string, userInputs: string[]): Promise<StrengthVerdict> {
  const thread = estimatorThread();
  if (thread.pending.size >= MAX_PENDING_STRENGTH_CHECKS) {
    return Promise.reject(new DomainError("unavailable", UNAVAILABLE));
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      forget(thread, id);
      reject(new DomainError("unavailable", UNAVAILABLE));
    }, CHECK_TIMEOUT_MS);
    timer.unref();
    owe(thread, id, { resolve, reject, timer });
    thread.worker.postMessage({ id, password, userInputs });
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
