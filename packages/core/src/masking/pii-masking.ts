/**
 * Masks personal data in free text before it is stored or sent anywhere it does not need to
 * go. Each kind is detected with a pattern and, where one exists, a checksum (Luhn for card
 * numbers, mod-97 for IBANs) or a shape check, so that ordinary numbers are left alone.
 *
 * The text is whatever a client sent, so finding each kind must cost time linear in it: every
 * pattern either starts only where a run of its characters starts (a lookbehind), so that a
 * failed attempt is not retried from each character of the same run, or reads a bounded number
 * of characters from each start; emails are found from their `@`.
 * test/regular-expressions-are-linear.test.ts checks every pattern with recheck.
 */
import { PII_KINDS, type PiiKind } from "@dsc/vocabulary";

export type { PiiKind };
export const ALL_PII_KINDS: readonly PiiKind[] = PII_KINDS;

/** [start, end) of one piece of personal data in a text */
type Span = readonly [start: number, end: number];

interface Detector {
  kind: PiiKind;
  /** left to right, not overlapping */
  find: (text: string) => Iterable<Span>;
}

// Order matters: secrets and IBANs before card and phone numbers, which could match parts of them.
const DETECTORS: Detector[] = [
  {
    kind: "secret",
    find: matchesOf(
      /\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})/g,
    ),
  },
  {
    // A JWT: three base64url segments, the first starting with `eyJ` (`{"`). Tried only from the
    // start of a run of segment characters: the first `eyJ` of the run that follows a `-` or the
    // run's start is set aside (`kept`, found by a lookahead, which never backtracks), since
    // every later `eyJ` of the same run ends where the first one does and fails if it fails.
    // Trying each `-eyJ` of a run in turn read the run once per try: quadratic on `-eyJ-eyJ…`.
    kind: "secret",
    find: matchesOf(/(?<![\w-])(?=(?<kept>(?:[\w-]*?-)??)eyJ)\k<kept>eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/g),
  },
  { kind: "email", find: emailsOf },
  {
    kind: "iban",
    find: matchesOf(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, isValidIban),
  },
  {
    kind: "card",
    find: matchesOf(/\b(?:\d[ -]?){12,18}\d\b/g, (m) => passesLuhn(m.replace(/\D/g, ""))),
  },
  {
    // IPv4, full IPv6, compressed IPv6 (`::`). Groups are separated by exactly one colon, so a run
    // of hex digits splits into groups one way only.
    kind: "ip",
    find: matchesOf(
      /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b|\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b|\b(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5}\b/g,
    ),
  },
  { kind: "phone", find: phonesOf },
];

export function maskPii(text: string, kinds: readonly PiiKind[] = ALL_PII_KINDS): string {
  let masked = text;
  for (const detector of DETECTORS) {
    if (!kinds.includes(detector.kind)) continue;
    const placeholder = `[${detector.kind.toUpperCase()}]`;
    const parts: string[] = [];
    let copied = 0;
    for (const [start, end] of detector.find(masked)) {
      parts.push(masked.slice(copied, start), placeholder);
      copied = end;
    }
    if (parts.length > 0) masked = parts.join("") + masked.slice(copied);
  }
  return masked;
}

/**
 * The matches of a global pattern that `accept` (if any) accepts; a named group `kept` is a
 * prefix of the match that is not part of what was found. Like String.replace, a rejected match
 * is skipped whole: the search resumes after it.
 */
function matchesOf(pattern: RegExp, accept?: (found: string) => boolean) {
  // exec from a position set before each call, not matchAll, which copies the pattern on every
  // call, and V8 sets each copy up afresh (µs per request in the gateway's profile); setting
  // lastIndex before each exec keeps two searches with the same pattern from disturbing each other
  return function* find(text: string): Generator<Span> {
    let from = 0;
    while (from <= text.length) {
      pattern.lastIndex = from;
      const match = pattern.exec(text);
      if (match === null) return;
      const start = match.index + (match.groups?.kept?.length ?? 0);
      const end = match.index + match[0].length;
      // an empty match moves on by one, as matchAll does
      from = end > match.index ? end : end + 1;
      if (!accept || accept(text.slice(start, end))) yield [start, end];
    }
  };
}

// Sticky: read from just after an `@`, never searched for.
const EMAIL_DOMAIN = /[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/y;

/**
 * Emails, found from their `@`: the local part is the run of local-part characters before it,
 * from its first letter or digit, and the domain must end in a dot and two letters or more.
 * A pattern that starts anywhere would read a run of local-part characters (`a.a.a.…`) once per
 * character of it; going from each `@` reads each character at most twice.
 */
function* emailsOf(text: string): Generator<Span> {
  // end of the last email found: the next local part does not reach back past it
  let searchedTo = 0;
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    // the run before `@` stops at the previous `@` at the latest, so runs are read once
    let start = at;
    while (start > searchedTo && isLocalPartChar(text.charCodeAt(start - 1))) start--;
    // from a word boundary (`\b`), as a pattern would start: the first letter or digit, or right
    // after the last email, which ends in a letter
    if (start !== searchedTo || start === 0) {
      while (start < at && !isWordChar(text.charCodeAt(start))) start++;
    }
    if (start === at) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const domain = EMAIL_DOMAIN.exec(text);
    if (domain === null) continue;
    const end = at + 1 + domain[0].length;
    yield [start, end];
    searchedTo = end;
    at = end - 1;
  }
}

/** [A-Za-z0-9_] */
function isWordChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** [A-Za-z0-9_.%+-] */
function isLocalPartChar(code: number): boolean {
  // . % + -
  return isWordChar(code) || code === 46 || code === 37 || code === 43 || code === 45;
}

// Up to six runs of digits, each taken whole (`(?!\d)`), with optional parentheses and one
// separator between them; phoneEnd then decides where the number ends. Taking runs whole keeps
// this linear: a pattern that let a run split into groups anywhere tried thousands of splits.
const PHONE_CANDIDATE = /(?<![\w.])\+?\(?\d{1,15}(?!\d)\)?(?:[ .-]?\(?\d{2,15}(?!\d)\)?){0,5}/g;

/**
 * Phone numbers: 3 to 6 groups of digits (the first of 1 to 4 digits, the others of 2 to 4,
 * written apart or together), 8 to 15 digits in all, some punctuation (`+`, a separator or
 * parentheses, so that a bare number is not taken for one), not a date, and not followed by a
 * letter, digit or dot.
 */
function* phonesOf(text: string): Generator<Span> {
  // the shared pattern, positioned before each exec: V8 would set a copy per call up afresh
  let from = 0;
  while (from <= text.length) {
    PHONE_CANDIDATE.lastIndex = from;
    const match = PHONE_CANDIDATE.exec(text);
    if (match === null) return;
    const start = match.index;
    const end = phoneEnd(text, start, start + match[0].length);
    if (end === -1) {
      // as a pattern would, try again from the next character (the next start is at most a
      // candidate's length, about a hundred characters, further on)
      from = start + 1;
      continue;
    }
    // a number that is no phone is skipped whole, as String.replace skips a rejected match
    from = end;
    const found = text.slice(start, end);
    const isDate = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/.test(found);
    if (/[ .()+-]/.test(found) && !isDate && digitCount(found) >= 8 && digitCount(found) <= 15)
      yield [start, end];
  }
}

/**
 * Where the longest phone-shaped prefix of text[start, candidateEnd) ends: after a run of digits
 * (or its closing parenthesis), where the runs so far can be 3 to 6 groups, and before a
 * character that is not a letter, digit or dot. -1 when there is none.
 */
function phoneEnd(text: string, start: number, candidateEnd: number): number {
  let best = -1;
  let fewestGroups = 0;
  let mostGroups = 0;
  let isFirstRun = true;
  let i = start;
  while (i < candidateEnd) {
    const runStart = i;
    while (i < candidateEnd && isDigit(text.charCodeAt(i))) i++;
    const run = i - runStart;
    if (run === 0) {
      i++;
      continue;
    }
    // a run of n digits is at least ceil(n/4) groups and at most floor(n/2), or one more for
    // the first run, which may start with the one-digit group
    const fewest = Math.ceil(run / 4);
    const most = Math.floor((isFirstRun ? run + 1 : run) / 2);
    if (fewest > most) break;
    fewestGroups += fewest;
    mostGroups += most;
    isFirstRun = false;
    if (fewestGroups > 6) break;
    if (mostGroups < 3) continue;
    if (i < candidateEnd && text.charCodeAt(i) === 41 /* ) */ && endsPhone(text, i + 1)) best = i + 1;
    else if (endsPhone(text, i)) best = i;
  }
  return best;
}

/** A phone number may end before `index`: the text ends or goes on with no letter, digit or dot. */
function endsPhone(text: string, index: number): boolean {
  if (index >= text.length) return true;
  const code = text.charCodeAt(index);
  return !isWordChar(code) && code !== 46;
}

function digitCount(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) digits++;
  return digits;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function passesLuhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function isValidIban(text: string): boolean {
  const iban = text.replace(/ /g, "");
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
