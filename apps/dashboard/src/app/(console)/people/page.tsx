import type { Metadata } from "next";
import { env } from "../../../env.ts";
import { hasIdentityProvider } from "../../../server/auth-options.ts";
import { requireRole } from "../../../server/session.ts";
import { PeopleList } from "./people-list.tsx";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage() {
  const user = await requireRole("ADMIN");
  return <PeopleList currentUserId={user.id} canInvite={hasIdentityProvider(env)} />;
}
