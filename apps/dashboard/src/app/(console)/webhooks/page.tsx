import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { WebhooksView } from "./webhooks-view.tsx";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const user = await requireRole("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER");
  return <WebhooksView role={user.role} ownOrganizationId={user.organizationId} />;
}
