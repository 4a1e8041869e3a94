/**
 * Next.js calls register() once when a server instance starts, before it serves requests.
 * NEXT_RUNTIME is set (and inlined) by Next.js itself, so the Node.js-only start-up checks
 * stay out of the Edge bundle.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateEnvOrExit } = await import("./validate-env-on-start.ts");
    await validateEnvOrExit();
  }
}
