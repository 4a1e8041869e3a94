/**
 * Next.js calls register() once when a server instance starts, before it serves requests.
 * Importing env.ts there parses the environment, so a bad value stops `next start` with a
 * message naming the variable instead of failing later on the first page view.
 */
export async function register(): Promise<void> {
  await import("./env.ts");
}
