import { isMemberRole } from "@dsc/trpc/schemas";
import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { FilesView } from "./files-view.tsx";

export const metadata: Metadata = { title: "Files" };

/**
 * An organization's uploaded files and their retention. Developers see their own organization
 * only (the procedures refuse any other); admins and compliance officers choose one.
 */
export default async function FilesPage({
  searchParams,
}: {
  searchParams: Promise<{ organization?: string }>;
}) {
  const user = await requireRole("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER");
  const { organization } = await searchParams;
  const isDeveloper = isMemberRole(user.role);
  return (
    <FilesView
      role={user.role}
      // a developer's organization is theirs, whatever the address says
      initialOrganizationId={isDeveloper ? (user.organizationId ?? undefined) : organization || undefined}
    />
  );
}
