import { redirect } from "next/navigation";
import { getSessionUser } from "../server/session.ts";

/** Where "/" leads: sign-in, a developer's own organization, or the organizations list. */
export default async function HomePage(): Promise<never> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (user.role === "DEVELOPER" && user.organizationId) redirect(`/organizations/${user.organizationId}`);
  redirect("/organizations");
}
