/**
 * Tells every gateway instance that a credential (API key or OAuth client) stopped working,
 * so that their in-process caches drop it within a second instead of at their TTL.
 */
export interface RevocationBus {
  publish(credentialId: string): Promise<void>;
  /**
   * Calls `listener` for every revocation published by any process. `null` means "messages
   * may have been missed" (after a reconnect): drop every cached credential.
   */
  subscribe(listener: (credentialId: string | null) => void): Promise<void>;
  close(): Promise<void>;
}

export const REVOCATION_CHANNEL = "dsc_credential_revoked";
