import Link from "next/link";
import { Button } from "./ui/button.tsx";
import { AlertIcon } from "./ui/icons.tsx";

/** The console's 404: what was not found, why it may be, and the way on. */
export function NotFoundPanel({
  heading,
  description,
  href,
  linkLabel,
}: {
  heading: string;
  description: string;
  href: string;
  linkLabel: string;
}) {
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
        {heading}
      </h1>
      <p className="text-sm text-text-muted">{description}</p>
      <Button asChild variant="secondary" className="mt-2">
        <Link href={href}>{linkLabel}</Link>
      </Button>
    </section>
  );
}
