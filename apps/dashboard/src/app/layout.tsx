import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { PRODUCT_NAME } from "../product.ts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: PRODUCT_NAME, template: `%s · ${PRODUCT_NAME}` },
  description: "Manage API keys, tiers, quotas, usage and data requests of the Deep Seek Chat API.",
  // An operator console: nothing here belongs in a search index.
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f6f7f9" },
    { media: "(prefers-color-scheme: dark)", color: "#0e1116" },
  ],
};

export default async function RootLayout({ children }: Readonly<{ children: ReactNode }>) {
  // Every page is rendered per request, "not found" included: the Content-Security-Policy
  // admits only scripts carrying this response's nonce (src/proxy.ts), and a page rendered at
  // build time would carry none.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
