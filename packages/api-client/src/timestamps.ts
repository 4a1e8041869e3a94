/** A time as the API writes it (`created`, `created_at`, …): whole seconds since the Unix epoch. */
export const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
