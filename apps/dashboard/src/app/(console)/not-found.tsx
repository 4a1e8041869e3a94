import type { Metadata } from "next";
import { NotFoundPanel } from "../../components/not-found-panel.tsx";

export const metadata: Metadata = { title: "Not found" };

/**
 * A page that does not exist, or that the signed-in person may not see: both look the same,
 * answered with HTTP 404 (no loading boundary streams above the console's pages, so the status
 * is still unsent when a page finds its record missing).
 */
export default function ConsoleNotFound() {
  return (
    <NotFoundPanel
      heading="Page not found"
      description="The address may be mistyped, or the page belongs to something your account cannot see."
      href="/overview"
      linkLabel="Go to overview"
    />
  );
}
