import { DELETION_REQUEST_FILTERS } from "@dsc/trpc/schemas";
import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { DeletionRequestsList } from "./deletion-requests-list.tsx";

export const metadata: Metadata = { title: "Deletion requests" };

export default async function DeletionRequestsPage({
  searchParams,
}: {
  searchParams: Promise<{ organization?: string; status?: string }>;
}) {
  const user = await requireRole("ADMIN", "COMPLIANCE");
  const { organization, status } = await searchParams;
  const initialStatus = DELETION_REQUEST_FILTERS.find((name) => name === status);
  return (
    <DeletionRequestsList
      canRequestErasure={user.role === "COMPLIANCE"}
      initialOrganizationId={organization || undefined}
      initialStatus={initialStatus}
    />
  );
}
