import type { Clock, Role } from "@dsc/core";
import type { Database } from "@dsc/db";

/** The signed-in person, as the dashboard session knows them. */
export interface SessionUser {
  id: string;
  role: Role;
  /** set for developers: the one organization they may see */
  organizationId: string | null;
}

export interface TrpcContext {
  db: Database;
  clock: Clock;
  user: SessionUser | null;
  /** the caller's IP address, for audit records */
  origin: string;
}
