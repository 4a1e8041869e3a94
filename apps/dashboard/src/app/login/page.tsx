import type { Metadata } from "next";
import { connection } from "next/server";
import { BrandMark } from "../../components/brand-mark.tsx";
import { env } from "../../env.ts";
import { PRODUCT_NAME } from "../../product.ts";

export const metadata: Metadata = { title: "Sign in" };

/**
 * The sign-in page. Authentication arrives in a later release, so the form is rendered but
 * disabled, with a notice saying why: nobody should type a password into a form that cannot
 * use it. Wiring it up means removing `disabled` and the notice, and giving the form its action.
 */
export default async function LoginPage() {
  // Render per request: the gateway URL is configuration of the running server, not of the build.
  await connection();
  const apiBaseUrl = `${env.GATEWAY_PUBLIC_URL}/v1`;

  return (
    <main className="centered-shell">
      <section className="card" aria-labelledby="sign-in-heading">
        <header className="brand">
          <BrandMark />
          <span className="brand-name">{PRODUCT_NAME}</span>
        </header>

        <h1 id="sign-in-heading">Sign in</h1>
        <p className="lead">Manage API keys, usage, tiers and data requests.</p>

        <div className="notice" id="sign-in-unavailable" role="note">
          <svg className="notice-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <circle cx="10" cy="10" r="8.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
            <path d="M10 9v5M10 6.2v.1" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
          <p>
            <strong>Sign-in is not available yet.</strong> Sign-in is enabled once authentication is
            configured (next release).
          </p>
        </div>

        <form className="form" method="post" aria-describedby="sign-in-unavailable">
          <fieldset className="form-fields" disabled>
            <legend className="visually-hidden">Account credentials</legend>
            <div className="field">
              <label htmlFor="email">Email</label>
              <input
                id="email"
                name="email"
                type="email"
                autoComplete="username"
                inputMode="email"
                spellCheck={false}
                placeholder="you@example.com"
                required
              />
            </div>
            <div className="field">
              <label htmlFor="password">Password</label>
              <input id="password" name="password" type="password" autoComplete="current-password" required />
            </div>
            <button className="button button-block" type="submit">
              Sign in
            </button>
          </fieldset>
        </form>

        <footer className="card-footer">
          <span>API base URL:</span> <code>{apiBaseUrl}</code>
        </footer>
      </section>
    </main>
  );
}
