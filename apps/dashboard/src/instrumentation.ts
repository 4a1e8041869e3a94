/**
 * Next.js calls register() once when a server instance starts, before it serves requests.
 * Importing env.ts parses the environment there. Next.js only logs an error thrown from
 * register() and keeps the process alive without serving, so a bad value exits the process
 * instead, with a message naming the variable, and a supervisor sees the failure at once.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next.js itself; the env and process.exit exist only on Node.js.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    await import("./env.ts");
  } catch (error) {
    if (error instanceof Error && error.name === "InvalidDashboardEnvError") {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
