import { z } from "zod";

/** DELETE /v1/users/{user}: an erasure request, due 72 hours after it was made. */
export const DeletionRequestSchema = z.object({
  id: z.string(),
  object: z.literal("deletion_request"),
  subject: z.object({ type: z.enum(["end_user", "organization", "account"]), id: z.string() }),
  /**
   * failed: retried after a growing delay; needs_attention: out of attempts, waiting for a
   * compliance officer; on_hold: the organization's data is under a legal hold (see hold_reason)
   */
  status: z.enum(["pending", "processing", "completed", "failed", "needs_attention", "on_hold"]),
  /** why the erasure waits, present while the status is on_hold */
  hold_reason: z.string().optional(),
  /**
   * present while the status is pending with every step done: what the erasure waits for before
   * it completes, and until when (cache_expiry: answers a gateway may still hold in its memory
   * expire, the response cache's TTL after the purge)
   */
  waiting_for: z.object({ step: z.string(), until: z.number().int() }).optional(),
  created_at: z.number().int(),
  due_at: z.number().int(),
  completed_at: z.number().int().nullable(),
  /** counts of what was erased, per kind, once completed */
  report: z
    .object({ erased: z.record(z.string(), z.number().int()), completed_at: z.number().int() })
    .nullable(),
  /** SHA-256 of the stored report, for the organization's own records */
  report_sha256: z.string().nullable(),
});
export type DeletionRequestObject = z.infer<typeof DeletionRequestSchema>;

/** GET /v1/users/{user}/export: what is kept about one end user. */
export const UserExportSchema = z.object({
  object: z.literal("user_export"),
  user: z.string(),
  exported_at: z.number().int(),
  chat_logs: z.array(
    z.object({
      id: z.string(),
      request_id: z.string(),
      model: z.string(),
      created_at: z.number().int(),
      expires_at: z.number().int(),
      usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }),
      messages: z.unknown(),
      response: z.unknown(),
    }),
  ),
  files: z.array(
    z.object({
      id: z.string(),
      filename: z.string(),
      purpose: z.string(),
      bytes: z.number().int(),
      created_at: z.number().int(),
      expires_at: z.number().int().nullable(),
    }),
  ),
});
export type UserExport = z.infer<typeof UserExportSchema>;
