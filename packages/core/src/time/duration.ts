import { DomainError } from "../errors/domain-error.ts";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Parses durations such as `90s`, `15m`, `12h`, `30d`, `2w` into milliseconds. */
export function parseDuration(text: string, param = "duration"): number {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) {
    throw new DomainError(
      "invalid",
      `${param} must look like 30d, 12h, 15m, 90s or 2w; got "${text}"`,
      param,
    );
  }
  const amount = Number(match[1]);
  if (amount === 0) throw new DomainError("invalid", `${param} must be longer than zero`, param);
  return amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
