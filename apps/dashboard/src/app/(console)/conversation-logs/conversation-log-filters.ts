import type { ListConversationLogsInput } from "@dsc/trpc/schemas";
import { dayAfter, dayStart } from "./date-range.ts";

/** The conversation-log list's filter fields as typed (empty = any). */
export interface ConversationLogFilterFields {
  apiKeyId: string;
  endUserId: string;
  modelId: string;
  fromDay: string;
  toDay: string;
}

export const NO_FILTERS: ConversationLogFilterFields = {
  apiKeyId: "",
  endUserId: "",
  modelId: "",
  fromDay: "",
  toDay: "",
};

/** The procedure's filters from the fields: blank ones left out, days as UTC instants. */
export function conversationLogFilterOf(
  fields: ConversationLogFilterFields,
): Omit<ListConversationLogsInput, "organizationId" | "limit" | "after"> {
  const apiKeyId = fields.apiKeyId.trim();
  const modelId = fields.modelId.trim();
  const from = dayStart(fields.fromDay);
  const to = dayAfter(fields.toDay);
  return {
    ...(apiKeyId ? { apiKeyId } : {}),
    // exactly as typed: end-user ids are matched as the API received them, spaces included
    ...(fields.endUserId ? { endUserId: fields.endUserId } : {}),
    ...(modelId ? { modelId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** Whether the fields narrow the list at all (else an empty list means the organization has none). */
export function isFiltered(fields: ConversationLogFilterFields): boolean {
  return Object.keys(conversationLogFilterOf(fields)).length > 0;
}
