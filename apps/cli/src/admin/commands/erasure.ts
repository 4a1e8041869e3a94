import { cliActor, requestDeletion } from "@dsc/core";
import { adminCommand, required, requiredString, text, UsageError } from "../command.ts";

const SUBJECTS = { "end-user": "END_USER", organization: "ORGANIZATION", account: "ACCOUNT" } as const;

/**
 * Opens an erasure for an end user, a whole organization, or a dashboard account. An account
 * needs no --org (admins and compliance officers belong to none); given, it must be the
 * person's own.
 */
export const erasureRequest = adminCommand({
  name: "erasure request",
  usage: "erasure request --subject end-user|organization|account [--org ORG_ID] [--id SUBJECT_ID]",
  options: { subject: required, org: text, id: text },
  async run(platform, { values }, out) {
    const kind = values.subject;
    if (!(kind in SUBJECTS)) throw new UsageError("--subject must be end-user, organization or account");
    const subjectType = SUBJECTS[kind as keyof typeof SUBJECTS];
    const organizationId = subjectType === "ACCOUNT" ? (values.org ?? null) : requiredString(values, "org");
    const subjectId = subjectType === "ORGANIZATION" ? organizationId : values.id;
    if (!subjectId) throw new UsageError("--id is required for end-user and account erasures");
    const { request, created } = await requestDeletion(platform, {
      organizationId,
      subjectType,
      subjectId,
      actor: cliActor(),
    });
    out.result(
      `${created ? "opened" : "already open:"} ${request.id} for ${kind} ${subjectId}, due ${request.dueAt.toISOString()} (the worker processes it within minutes)`,
      { id: request.id, status: request.status.toLowerCase(), created, dueAt: request.dueAt.toISOString() },
    );
  },
});
