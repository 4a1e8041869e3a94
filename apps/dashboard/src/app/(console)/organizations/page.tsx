import { isMemberRole } from "@dsc/trpc/schemas";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireConsoleUser } from "../../../server/session.ts";
import { OrganizationsList } from "./organizations-list.tsx";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  const user = await requireConsoleUser();
  // a member sees the organization they work in now (others through the switcher)
  if (isMemberRole(user.role))
    redirect(user.organizationId ? `/organizations/${user.organizationId}` : "/account");
  return <OrganizationsList canManage={user.role === "ADMIN"} />;
}
