import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { type ApiKeyView, toApiKeyView } from "./api-key-view.ts";

/** The organization's keys, newest first. */
export async function listApiKeys(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string },
): Promise<ApiKeyView[]> {
  const keys = await deps.db.apiKey.findMany({
    where: { organizationId: input.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const now = deps.clock.now();
  return keys.map((key) => toApiKeyView(key, now));
}
