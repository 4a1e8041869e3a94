import type { CsvColumn } from "../csv.ts";
import { toCsv } from "../csv.ts";

/** A row of the register as the list procedure answers it (what the CSV needs of it). */
export interface DeletionRegisterRow {
  id: string;
  subjectType: string;
  subjectId: string;
  organizationId: string | null;
  organizationName: string | null;
  requestedBy: string;
  requestedByName: string | null;
  createdAt: Date;
  dueAt: Date;
  status: string;
  startedAt: Date | null;
  completedAt: Date | null;
  erased: Record<string, number> | null;
}

const erasedTotal = (row: DeletionRegisterRow) =>
  row.erased === null ? null : Object.values(row.erased).reduce((sum, count) => sum + count, 0);

const erasedByKind = (row: DeletionRegisterRow) =>
  row.erased === null
    ? null
    : Object.entries(row.erased)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, count]) => `${kind}=${count}`)
        .join("; ");

/**
 * Past its deadline: a completed request when it completed, an open one at the export's time
 * (overdue now), so that an open request already late reads as late, not as blank.
 */
const isLate = (row: DeletionRegisterRow, exportedAt: Date) => (row.completedAt ?? exportedAt) > row.dueAt;

/**
 * The register's columns, for the compliance record: who asked, when, by when, whether it was
 * or is late at `exportedAt`, and what was erased.
 */
export function deletionRegisterColumns(exportedAt: Date): readonly CsvColumn<DeletionRegisterRow>[] {
  return [
    { header: "Request", value: (row) => row.id },
    { header: "Subject type", value: (row) => row.subjectType },
    { header: "Subject", value: (row) => row.subjectId },
    { header: "Organization", value: (row) => row.organizationName },
    { header: "Organization id", value: (row) => row.organizationId },
    { header: "Requested by", value: (row) => row.requestedByName ?? row.requestedBy },
    { header: "Requested by (id)", value: (row) => row.requestedBy },
    { header: "Requested at", value: (row) => row.createdAt },
    { header: "Deadline", value: (row) => row.dueAt },
    { header: "Status", value: (row) => row.status },
    { header: "Started at", value: (row) => row.startedAt },
    { header: "Completed at", value: (row) => row.completedAt },
    { header: "Late", value: (row) => isLate(row, exportedAt) },
    { header: "Records erased", value: erasedTotal },
    { header: "Erased by kind", value: erasedByKind },
  ];
}

export function deletionRegisterCsv(rows: readonly DeletionRegisterRow[], exportedAt: Date): string {
  return toCsv(deletionRegisterColumns(exportedAt), rows);
}
