import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { TiersList } from "./tiers-list.tsx";

export const metadata: Metadata = { title: "Tiers & quotas" };

export default async function TiersPage() {
  const user = await requireRole("ADMIN", "COMPLIANCE");
  return <TiersList canManage={user.role === "ADMIN"} />;
}
