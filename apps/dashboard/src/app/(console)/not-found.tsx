import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "../../components/ui/button.tsx";
import { AlertIcon } from "../../components/ui/icons.tsx";

export const metadata: Metadata = { title: "Not found" };

/**
 * A page that does not exist, or that the signed-in person may not see: both look the same,
 * answered with HTTP 404 (no loading boundary streams above the console's pages, so the status
 * is still unsent when a page finds its record missing).
 */
export default function ConsoleNotFound() {
  return (
    <section
      aria-labelledby="not-found-heading"
      className="mx-auto mt-10 flex max-w-lg flex-col items-center gap-3 rounded-lg border border-border bg-surface px-6 py-12 text-center"
    >
      <span className="inline-flex size-12 items-center justify-center rounded-full bg-surface-muted text-text-muted">
        <AlertIcon className="size-6" />
      </span>
      <p className="text-xs font-semibold tracking-widest text-text-muted uppercase">Error 404</p>
      <h1 id="not-found-heading" className="text-xl font-semibold text-text">
        Page not found
      </h1>
      <p className="text-sm text-text-muted">
        The address may be mistyped, or the page belongs to something your account cannot see.
      </p>
      <Button asChild variant="secondary" className="mt-2">
        <Link href="/overview">Go to overview</Link>
      </Button>
    </section>
  );
}
