import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireRole } from "../../../../server/session.ts";
import { getServerCaller } from "../../../../server/trpc-caller.ts";
import { DeletionRequestReportView } from "./deletion-request-report.tsx";

export const metadata: Metadata = { title: "Deletion request" };

/** One erasure request and its report, loaded on the server through the browser's procedure. */
export default async function DeletionRequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ deletionRequestId: string }>;
  searchParams: Promise<{ existing?: string }>;
}) {
  const user = await requireRole("ADMIN", "COMPLIANCE");
  const { deletionRequestId } = await params;
  const { existing } = await searchParams;
  const caller = await getServerCaller();
  const request = await caller.deletionRequests.get({ deletionRequestId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <DeletionRequestReportView
      initial={request}
      wasAlreadyOpen={existing === "1"}
      canAct={user.role === "COMPLIANCE"}
    />
  );
}
