import type { File } from "@dsc/db";

/** A file as the dashboard lists it: its OpenAI fields and what retention needs. */
export interface OrganizationFileView {
  id: string;
  organizationId: string;
  filename: string;
  purpose: string;
  bytes: number;
  sha256: string;
  /** the `user` it was uploaded for; null when none was given */
  endUserId: string | null;
  /** the key that uploaded it; null for other callers */
  apiKeyId: string | null;
  status: string;
  createdAt: Date;
  /** null: kept until deleted (only files written outside the API have none) */
  expiresAt: Date | null;
}

export function toOrganizationFileView(file: File): OrganizationFileView {
  return {
    id: file.id,
    organizationId: file.organizationId,
    filename: file.filename,
    purpose: file.purpose,
    bytes: Number(file.bytes),
    sha256: file.sha256,
    endUserId: file.endUserId,
    apiKeyId: file.apiKeyId,
    status: file.status,
    createdAt: file.createdAt,
    expiresAt: file.expiresAt,
  };
}
