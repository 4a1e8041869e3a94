import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { open } from "../crypto/aead.ts";
import { unwrap } from "../crypto/data-keys.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";
import { chatLogContext } from "./chat-log-writer.ts";

export interface DecryptedChatLog {
  id: string;
  requestId: string;
  modelId: string;
  endUserId: string | null;
  createdAt: Date;
  expiresAt: Date;
  promptTokens: number;
  completionTokens: number;
  messages: unknown;
  response: unknown;
}

/**
 * The readable (not expired) logs of an organization, or of one of its end users, decrypted,
 * oldest first. Every call is audited: who read whose logs, how many.
 */
export async function readChatLogs(
  deps: { db: Database; clock: Clock; keyring: MasterKeyring },
  input: { organizationId: string; endUserId?: string; actor: Actor; purpose: string },
): Promise<DecryptedChatLog[]> {
  const now = deps.clock.now();
  const logs = await deps.db.chatLog.findMany({
    where: {
      organizationId: input.organizationId,
      ...(input.endUserId !== undefined ? { endUserId: input.endUserId } : {}),
      expiresAt: { gt: now },
    },
    include: { dataKey: true },
    // the id breaks ties between turns stored in the same millisecond, so that reading the same
    // logs twice (an export, say) gives the same order
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const keys = new Map<string, Buffer>();
  const decrypted = logs.map((log) => {
    let key = keys.get(log.dataKeyId);
    if (!key) {
      key = unwrap(deps.keyring, log.dataKey);
      keys.set(log.dataKeyId, key);
    }
    const read = (sealed: Uint8Array, part: "request" | "response") =>
      JSON.parse(
        open(key, Buffer.from(sealed), chatLogContext(log.organizationId, log.requestId, part)).toString(
          "utf8",
        ),
      );
    return {
      id: log.id,
      requestId: log.requestId,
      modelId: log.modelId,
      endUserId: log.endUserId,
      createdAt: log.createdAt,
      expiresAt: log.expiresAt,
      promptTokens: log.promptTokens,
      completionTokens: log.completionTokens,
      messages: read(log.requestCiphertext, "request"),
      response: read(log.responseCiphertext, "response"),
    };
  });
  await recordAuditEvent(deps.db, deps.clock, {
    actor: input.actor,
    action: "chat_log.decrypt",
    target: {
      type: input.endUserId !== undefined ? "end_user" : "organization",
      id: input.endUserId ?? input.organizationId,
    },
    organizationId: input.organizationId,
    metadata: { count: decrypted.length, purpose: input.purpose },
  });
  return decrypted;
}
