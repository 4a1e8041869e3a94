import type { Metadata } from "next";
import { BrandCard } from "../../components/brand-card.tsx";
import { getSessionUser } from "../../server/session.ts";
import { TRPCReactProvider } from "../../trpc/client.tsx";
import { InviteView } from "./invite-view.tsx";

export const metadata: Metadata = { title: "Invitation" };

/**
 * Where an invitation's link leads, signed in or not. The link's secret is in the fragment
 * (`#token=`), which never reaches the server: the page reads it in the browser.
 */
export default async function InvitePage() {
  const user = await getSessionUser();
  return (
    <BrandCard headingId="invite-heading">
      <TRPCReactProvider>
        <InviteView signedInEmail={user?.email ?? null} />
      </TRPCReactProvider>
    </BrandCard>
  );
}
