import type { Metadata } from "next";
import { BrandCard } from "../../components/brand-card.tsx";
import { getSessionUser } from "../../server/session.ts";
import { TRPCReactProvider } from "../../trpc/client.tsx";
import { VerifyEmailView } from "./verify-email-view.tsx";

export const metadata: Metadata = { title: "Verify your e-mail address" };

/**
 * Where the verification e-mail's link leads, signed in or not. The link's secret is in the
 * fragment (`#token=`), which never reaches the server: the page reads it in the browser.
 */
export default async function VerifyEmailPage() {
  const isSignedIn = (await getSessionUser()) !== null;
  return (
    <BrandCard headingId="verify-email-heading">
      <h1 id="verify-email-heading">Verify your e-mail address</h1>
      <TRPCReactProvider>
        <VerifyEmailView isSignedIn={isSignedIn} />
      </TRPCReactProvider>
    </BrandCard>
  );
}
