"use client";

import { DELETION_REGISTER_EXPORT_MAX_ROWS, type DeletionRequestFilter } from "@dsc/trpc/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../trpc/client.tsx";
import { errorMessage } from "../../trpc/errors.ts";
import { downloadCsv } from "../csv.ts";
import { Button } from "../ui/button.tsx";
import { type DeletionRegisterRow, deletionRegisterCsv } from "./deletion-register-csv.ts";

const PAGE_SIZE = 100;
/** 20,000 requests: past that, a filter (organization, status) makes the register smaller */
const MAX_PAGES = DELETION_REGISTER_EXPORT_MAX_ROWS / PAGE_SIZE;

/**
 * Downloads the register, with the list's filters, as CSV for the compliance record: it pages
 * through the same procedure as the list, so it shows what the signed-in person may see. The
 * export is recorded in the audit log before the file is offered; one that cannot be recorded is
 * not offered.
 */
export function ExportRegisterButton({
  organizationId,
  status,
}: {
  organizationId: string | undefined;
  status: DeletionRequestFilter | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const recordExport = useMutation(trpc.deletionRequests.recordExport.mutationOptions());
  const [isExporting, setExporting] = useState(false);
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);

  async function exportRegister() {
    setExporting(true);
    setMessage(null);
    try {
      const rows: DeletionRegisterRow[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await queryClient.fetchQuery(
          trpc.deletionRequests.list.queryOptions({ organizationId, status, limit: PAGE_SIZE, after }),
        );
        rows.push(...page.items);
        after = page.nextCursor ?? undefined;
        pages += 1;
      } while (after && pages < MAX_PAGES);
      await recordExport.mutateAsync({ filter: { organizationId, status }, rows: rows.length });
      const exportedAt = new Date();
      downloadCsv(
        `deletion-register-${exportedAt.toISOString().slice(0, 10)}.csv`,
        deletionRegisterCsv(rows, exportedAt),
      );
      setMessage({
        text: after
          ? `Exported the newest ${rows.length} requests; filter by organization or status for the rest.`
          : `Exported ${rows.length} ${rows.length === 1 ? "request" : "requests"}.`,
        isError: false,
      });
    } catch (error) {
      setMessage({ text: errorMessage(error), isError: true });
    } finally {
      setExporting(false);
    }
  }

  return (
    <div className="flex items-center gap-3">
      <p aria-live="polite" className={message?.isError ? "text-sm text-danger" : "text-sm text-text-muted"}>
        {message?.text ?? ""}
      </p>
      <Button variant="secondary" isPending={isExporting} onClick={exportRegister}>
        Export CSV
      </Button>
    </div>
  );
}
