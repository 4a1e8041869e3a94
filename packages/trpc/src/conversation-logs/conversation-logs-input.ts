import { EndUserIdSchema } from "@dsc/api-client";
import { z } from "zod";
import { CHAT_LOG_REASON_MAX_LENGTH, CHAT_LOG_REASON_MIN_LENGTH } from "../vocabulary.ts";

/** The filters and page of the conversation-log list: one organization's logs, newest first. */
export const ListConversationLogsInputSchema = z
  .object({
    organizationId: z.string().trim().min(1, "Choose an organization.").max(100),
    apiKeyId: z.string().trim().min(1).max(100).optional(),
    // exactly as the API received it (never trimmed), so that it finds what was stored
    endUserId: EndUserIdSchema.optional(),
    modelId: z.string().trim().min(1).max(200).optional(),
    /** created at or after */
    from: z.date().optional(),
    /** created before */
    to: z.date().optional(),
    limit: z.number().int().min(1).max(100).default(25),
    after: z.string().max(100).optional(),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    message: "The start must be before the end.",
    path: ["to"],
  });
export type ListConversationLogsInput = z.input<typeof ListConversationLogsInputSchema>;

/** chat_log ids are UUIDs; another id is answered as a log that is gone, not as a bad request */
const chatLogId = z.string().trim().min(1).max(100);

export const GetConversationLogInputSchema = z.object({ chatLogId });

/** Opening a log, masked or as stored, needs the reason, which the audit trail keeps. */
export const OpenConversationLogInputSchema = z.object({
  chatLogId,
  reason: z
    .string()
    .trim()
    .min(CHAT_LOG_REASON_MIN_LENGTH, `Say why, in at least ${CHAT_LOG_REASON_MIN_LENGTH} characters.`)
    .max(CHAT_LOG_REASON_MAX_LENGTH, `Say why in at most ${CHAT_LOG_REASON_MAX_LENGTH} characters.`),
});
export type OpenConversationLogInput = z.input<typeof OpenConversationLogInputSchema>;
