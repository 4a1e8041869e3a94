import type { Principal } from "../credentials/principal.ts";

/** Turns a bearer credential into the principal it stands for, or null when it does not. */
export interface Authenticator {
  authenticate(secret: string): Promise<Principal | null>;
}
