/**
 * Masks personal data in free text before it is stored or sent anywhere it does not need to
 * go. Each kind is detected with a pattern and, where one exists, a checksum (Luhn for card
 * numbers, mod-97 for IBANs), so that ordinary numbers are left alone.
 */
export type PiiKind = "email" | "phone" | "card" | "iban" | "ip" | "secret";

export const ALL_PII_KINDS: readonly PiiKind[] = ["email", "phone", "card", "iban", "ip", "secret"];

interface Detector {
  kind: PiiKind;
  pattern: RegExp;
  accept?: (match: string) => boolean;
}

// Order matters: secrets and IBANs before card and phone numbers, which could match parts of them.
const DETECTORS: Detector[] = [
  {
    kind: "secret",
    pattern:
      /\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
  },
  { kind: "email", pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  {
    kind: "iban",
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
    accept: isValidIban,
  },
  { kind: "card", pattern: /\b(?:\d[ -]?){12,18}\d\b/g, accept: (m) => passesLuhn(m.replace(/\D/g, "")) },
  {
    kind: "ip",
    pattern:
      /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b|\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b|\b(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}:?){1,6}\b/g,
  },
  {
    kind: "phone",
    pattern: /(?<![\w.])\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,4}\)?){2,5}(?![\w.])/g,
    accept: (m) => {
      const digits = m.replace(/\D/g, "").length;
      const isDate = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/.test(m);
      return digits >= 8 && digits <= 15 && /[ .()+-]/.test(m) && !isDate;
    },
  },
];

export function maskPii(text: string, kinds: readonly PiiKind[] = ALL_PII_KINDS): string {
  let masked = text;
  for (const detector of DETECTORS) {
    if (!kinds.includes(detector.kind)) continue;
    masked = masked.replace(detector.pattern, (match) =>
      !detector.accept || detector.accept(match) ? `[${detector.kind.toUpperCase()}]` : match,
    );
  }
  return masked;
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
