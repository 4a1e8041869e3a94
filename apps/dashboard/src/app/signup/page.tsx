import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { BrandCard } from "../../components/brand-card.tsx";
import { CardLinks } from "../../components/card-form.tsx";
import { env } from "../../env.ts";
import { getSessionUser } from "../../server/session.ts";
import { TRPCReactProvider } from "../../trpc/client.tsx";
import { SignUpForm } from "./sign-up-form.tsx";

export const metadata: Metadata = { title: "Create an account" };

/** Signing up (SIGNUP=open); under another policy, how to get an account instead. */
export default async function SignUpPage() {
  if (await getSessionUser()) redirect("/getting-started");
  return (
    <BrandCard headingId="sign-up-heading">
      <h1 id="sign-up-heading">Create an account</h1>
      {env.signup === "open" ? (
        <>
          <p className="lead">
            Your own organization on the free tier, and API keys once your address is verified.
          </p>
          <TRPCReactProvider>
            <SignUpForm />
          </TRPCReactProvider>
        </>
      ) : (
        <p className="lead">
          {env.signup === "invite"
            ? "Accounts here are by invitation only. Ask an organization's owner for an invitation."
            : "Accounts here are made by administrators. Ask an administrator for an account."}
        </p>
      )}
      <CardLinks>
        <span>
          Already have an account? <Link href="/login">Sign in</Link>
        </span>
      </CardLinks>
    </BrandCard>
  );
}
