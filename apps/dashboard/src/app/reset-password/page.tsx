import type { Metadata } from "next";
import { BrandCard } from "../../components/brand-card.tsx";
import { TRPCReactProvider } from "../../trpc/client.tsx";
import { ResetPasswordForm } from "./reset-password-form.tsx";

export const metadata: Metadata = { title: "Choose a new password" };

/**
 * Where a reset link leads (from the e-mail, or handed over by an admin). The link's secret is
 * in the fragment (`#token=`), which never reaches the server: the form reads it in the browser.
 */
export default function ResetPasswordPage() {
  return (
    <BrandCard headingId="reset-password-heading">
      <h1 id="reset-password-heading">Choose a new password</h1>
      <TRPCReactProvider>
        <ResetPasswordForm />
      </TRPCReactProvider>
    </BrandCard>
  );
}
