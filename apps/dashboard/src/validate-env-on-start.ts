/**
 * Parses the environment (by loading env.ts) when the server starts. Next.js only logs an
 * error thrown from register() and leaves the process running without serving, so a bad value
 * exits instead, with a message naming the variable: a supervisor sees the failure at once.
 */
export async function validateEnvOrExit(): Promise<void> {
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
