import type { Metadata } from "next";
import Link from "next/link";
import { BrandCard } from "../components/brand-card.tsx";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <BrandCard headingId="not-found-heading">
      <p className="eyebrow">Error 404</p>
      <h1 id="not-found-heading">Page not found</h1>
      <p className="lead">The address may be mistyped, or the page may have moved.</p>
      <Link className="button" href="/login">
        Go to sign-in
      </Link>
    </BrandCard>
  );
}
