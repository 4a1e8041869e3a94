/**
 * The filters' date fields (YYYY-MM-DD) as the instants the procedures take: from the start of
 * the first day to the end of the last, inclusive. Days are UTC days, as everywhere else in the
 * dashboard (the usage page's ranges, the CSV exports' times), whatever the viewer's time zone,
 * so that two people who type the same days see the same rows; the fields say "(UTC)".
 */
export function dayStart(day: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00.000Z`);
  // a day that does not exist (2026-02-30) is no day, not the one it would roll over to
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== day) return undefined;
  return start;
}

const DAY_MS = 86_400_000;

export function dayAfter(day: string): Date | undefined {
  const start = dayStart(day);
  return start ? new Date(start.getTime() + DAY_MS) : undefined;
}

/** The field as typed when it is a real day, else "" (for values read back from the address). */
export function validDay(day: string | undefined): string {
  return day !== undefined && dayStart(day) !== undefined ? day : "";
}
