import type { ReactNode } from "react";
import { PRODUCT_NAME } from "../product.ts";
import { BrandMark } from "./brand-mark.tsx";

/** A page outside the console (sign-in, not found): one card under the product's name. */
export function BrandCard({ headingId, children }: { headingId: string; children: ReactNode }) {
  return (
    <main className="centered-shell">
      <section className="card" aria-labelledby={headingId}>
        <header className="brand">
          <BrandMark />
          <span className="brand-name">{PRODUCT_NAME}</span>
        </header>
        {children}
      </section>
    </main>
  );
}
