import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "../../callback-url.ts";
import { BrandCard } from "../../components/brand-card.tsx";
import { CardLinks } from "../../components/card-form.tsx";
import { env } from "../../env.ts";
import { getSessionUser } from "../../server/session.ts";
import { SignInForm } from "./sign-in-form.tsx";

export const metadata: Metadata = { title: "Sign in" };

/** The sign-in page: e-mail and password always; OIDC and GitHub when configured. */
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string | string[]; callbackUrl?: string | string[] }>;
}) {
  // Rendered per request (reading the session makes it dynamic): the gateway URL and the
  // providers are configuration of the running server, not of the build.
  const { error, callbackUrl } = await searchParams;
  // only a path of this site: a link to the sign-in page must not lead elsewhere
  const next = safeCallbackPath(callbackUrl, env.NEXTAUTH_URL);
  if (await getSessionUser()) redirect(next);
  const apiBaseUrl = `${env.GATEWAY_PUBLIC_URL}/v1`;
  const providers = [
    ...(env.oidc ? [{ id: "oidc", name: env.oidc.name }] : []),
    ...(env.github ? [{ id: "github", name: "GitHub" }] : []),
  ];

  return (
    <BrandCard headingId="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      <p className="lead">Manage API keys, usage, tiers and data requests.</p>

      <SignInForm
        providers={providers}
        initialError={typeof error === "string" ? error : null}
        callbackUrl={next}
      />

      <CardLinks>
        <Link href="/forgot-password">Forgot your password?</Link>
        {env.signup === "open" ? <Link href="/signup">Create an account</Link> : null}
      </CardLinks>

      <footer className="card-footer">
        <span>API base URL:</span> <code>{apiBaseUrl}</code>
      </footer>
    </BrandCard>
  );
}
