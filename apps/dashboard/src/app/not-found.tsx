import type { Metadata } from "next";
import Link from "next/link";
import { BrandMark } from "../components/brand-mark.tsx";
import { PRODUCT_NAME } from "../product.ts";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="centered-shell">
      <section className="card" aria-labelledby="not-found-heading">
        <header className="brand">
          <BrandMark />
          <span className="brand-name">{PRODUCT_NAME}</span>
        </header>
        <p className="eyebrow">Error 404</p>
        <h1 id="not-found-heading">Page not found</h1>
        <p className="lead">The address may be mistyped, or the page may have moved.</p>
        <Link className="button" href="/login">
          Go to sign-in
        </Link>
      </section>
    </main>
  );
}
