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

/** The register's columns, for the compliance record: who asked, when, by when, and what was erased. */
export const DELETION_REGISTER_COLUMNS: readonly CsvColumn<DeletionRegisterRow>[] = [
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
  { header: "Late", value: (row) => (row.completedAt === null ? null : row.completedAt > row.dueAt) },
  { header: "Records erased", value: erasedTotal },
  { header: "Erased by kind", value: erasedByKind },
];

export function deletionRegisterCsv(rows: readonly DeletionRegisterRow[]): string {
  return toCsv(DELETION_REGISTER_COLUMNS, rows);
}
