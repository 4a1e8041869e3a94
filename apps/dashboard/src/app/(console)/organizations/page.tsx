import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireSessionUser } from "../../../server/session.ts";
import { OrganizationsList } from "./organizations-list.tsx";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  const user = await requireSessionUser();
  // a developer has one organization: theirs
  if (user.role === "DEVELOPER")
    redirect(user.organizationId ? `/organizations/${user.organizationId}` : "/account");
  return <OrganizationsList canManage={user.role === "ADMIN"} />;
}
