import { cliActor, requestDeletion } from "@dsc/core";
import { type AdminCommand, noPositionals, optionalString, requiredString, UsageError } from "../command.ts";

const SUBJECTS = { "end-user": "END_USER", organization: "ORGANIZATION", account: "ACCOUNT" } as const;

/** Opens an erasure for an end user, a whole organization, or a dashboard account. */
export const erasureRequest: AdminCommand = {
  name: "erasure request",
  usage: "erasure request --org ORG_ID --subject end-user|organization|account [--id SUBJECT_ID]",
  options: { org: { type: "string" }, subject: { type: "string" }, id: { type: "string" } },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const organizationId = requiredString(values, "org");
    const kind = requiredString(values, "subject");
    if (!(kind in SUBJECTS)) throw new UsageError("--subject must be end-user, organization or account");
    const subjectType = SUBJECTS[kind as keyof typeof SUBJECTS];
    const subjectId = subjectType === "ORGANIZATION" ? organizationId : optionalString(values, "id");
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
};
