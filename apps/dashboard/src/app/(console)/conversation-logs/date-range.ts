/**
 * The filters' date fields (YYYY-MM-DD, in the viewer's time zone) as the instants the
 * procedures take: from the start of the first day to the end of the last, inclusive.
 */
export function dayStart(day: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00`);
  return Number.isNaN(start.getTime()) ? undefined : start;
}

export function dayAfter(day: string): Date | undefined {
  const start = dayStart(day);
  if (!start) return undefined;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next;
}
