import type { Metadata } from "next";
import Link from "next/link";
import { BrandCard } from "../components/brand-card.tsx";
import { getSessionUser } from "../server/session.ts";

export const metadata: Metadata = { title: "Not found" };

/**
 * An address no page answers (HTTP 404). Outside the console's frame, so it says itself where
 * to go: the signed-in person's overview, or sign-in for anyone else.
 */
export default async function NotFound() {
  const isSignedIn = (await getSessionUser().catch(() => null)) !== null;
  return (
    <BrandCard headingId="not-found-heading">
      <p className="eyebrow">Error 404</p>
      <h1 id="not-found-heading">Page not found</h1>
      <p className="lead">The address may be mistyped, or the page may have moved.</p>
      {isSignedIn ? (
        <Link className="button" href="/overview">
          Go to overview
        </Link>
      ) : (
        <Link className="button" href="/login">
          Go to sign-in
        </Link>
      )}
    </BrandCard>
  );
}
