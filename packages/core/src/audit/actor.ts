import type { ActorType } from "@dsc/db";

/** Who caused a change, and from where (an IP address, or "cli" / "worker"). */
export interface Actor {
  type: ActorType;
  id: string;
  origin: string;
}

export const cliActor = (who = "dsc-admin"): Actor => ({ type: "SYSTEM", id: who, origin: "cli" });
