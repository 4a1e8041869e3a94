import type { Metadata } from "next";
import Link from "next/link";
import { BrandCard } from "../../components/brand-card.tsx";
import { CardLinks } from "../../components/card-form.tsx";
import { env } from "../../env.ts";
import { TRPCReactProvider } from "../../trpc/client.tsx";
import { ForgotPasswordForm } from "./forgot-password-form.tsx";

export const metadata: Metadata = { title: "Forgot your password?" };

/** Asks for a reset link by e-mail; without a mail server, says who can make one instead. */
export default function ForgotPasswordPage() {
  return (
    <BrandCard headingId="forgot-password-heading">
      <h1 id="forgot-password-heading">Forgot your password?</h1>
      {env.mail ? (
        <>
          <p className="lead">We will e-mail you a link to choose a new one.</p>
          <TRPCReactProvider>
            <ForgotPasswordForm />
          </TRPCReactProvider>
        </>
      ) : (
        <p className="lead">
          Password reset by e-mail is not set up here. Ask an administrator for a reset link.
        </p>
      )}
      <CardLinks>
        <Link href="/login">Back to sign in</Link>
      </CardLinks>
    </BrandCard>
  );
}
