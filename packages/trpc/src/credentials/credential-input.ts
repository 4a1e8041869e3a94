import { z } from "zod";
import {
  CREDENTIAL_STATES,
  EXPIRY_CHOICE_NAMES,
  GRACE_CHOICE_NAMES,
  type GraceChoice,
  isPowerfulScope,
  SCOPES,
} from "../vocabulary.ts";

/** The filters and page of a credential list (API keys and OAuth clients alike). */
export const ListCredentialsInputSchema = z.object({
  /** absent = every organization the caller may see */
  organizationId: z.string().min(1).optional(),
  state: z.enum(CREDENTIAL_STATES).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
});

/**
 * A new credential (API key or OAuth client): its name, scopes and lifetime. Powerful scopes
 * (`users:delete`, `users:export`) need `allowPowerfulScopes`, the form's confirmation box.
 */
export const CreateCredentialInputSchema = z
  .object({
    organizationId: z.string().trim().min(1, "Choose an organization.").max(100),
    name: z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
    scopes: z.array(z.enum(SCOPES)).min(1, "Choose at least one scope."),
    allowPowerfulScopes: z.boolean().default(false),
    expiresIn: z.enum(EXPIRY_CHOICE_NAMES),
  })
  .superRefine((input, context) => {
    const powerful = input.scopes.filter(isPowerfulScope);
    if (powerful.length > 0 && !input.allowPowerfulScopes) {
      context.addIssue({
        code: "custom",
        path: ["allowPowerfulScopes"],
        message: `Confirm that this credential may use ${powerful.join(" and ")}.`,
      });
    }
  });
export type CreateCredentialInput = z.input<typeof CreateCredentialInputSchema>;

/** A credential named by its kind's id field (`apiKeyId`, `clientId`). */
const credentialId = <F extends string>(idField: F) =>
  ({ [idField]: z.string().min(1) }) as Record<F, z.ZodString>;

/** A rotation: the credential and how long its old secret keeps working. */
export function rotateCredentialInputSchema<F extends string>(
  idField: F,
): z.ZodType<
  Record<F, string> & { gracePeriod: GraceChoice },
  Record<F, string> & { gracePeriod?: GraceChoice }
> {
  // zod cannot infer an object type from a generic key; the cast states what it builds
  return z.object({
    ...credentialId(idField),
    gracePeriod: z.enum(GRACE_CHOICE_NAMES).default("24h"),
  }) as never;
}

export function revokeCredentialInputSchema<F extends string>(idField: F): z.ZodType<Record<F, string>> {
  return z.object(credentialId(idField)) as never;
}
