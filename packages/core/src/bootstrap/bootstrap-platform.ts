import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { type CreatedApiKey, createApiKey } from "../credentials/api-keys.ts";
import { newId, randomBase62 } from "../ids/public-id.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import type { Clock } from "../time/clock.ts";
import { hashPassword } from "../users/password.ts";

export interface BootstrapInput {
  adminEmail: string;
  /** absent: a strong password is generated and returned once */
  adminPassword?: string | null;
  /** also create the demo organization and its API key */
  withDemo: boolean;
}

export interface BootstrapResult {
  /** false when the platform had been bootstrapped before: nothing was created */
  firstRun: boolean;
  admin?: { email: string; generatedPassword: string | null };
  demo?: { organizationId: string; apiKey: CreatedApiKey };
}

const SYSTEM: Actor = { type: "SYSTEM", id: "bootstrap", origin: "cli" };

/**
 * First start: the admin person, a demo organization and its API key. Runs only while no
 * admin exists, so the secrets it returns are shown exactly once.
 */
export async function bootstrapPlatform(
  deps: { db: Database; clock: Clock; pepper: string },
  input: BootstrapInput,
): Promise<BootstrapResult> {
  if ((await deps.db.user.count({ where: { role: "ADMIN" } })) > 0) return { firstRun: false };

  const generatedPassword = input.adminPassword ? null : randomBase62(20);
  const passwordHash = await hashPassword(input.adminPassword ?? (generatedPassword as string));
  const email = input.adminEmail.trim().toLowerCase();
  try {
    await deps.db.$transaction(async (tx) => {
      const admin = await tx.user.create({
        data: { id: newId("user"), email, name: "Administrator", role: "ADMIN", passwordHash },
      });
      await recordAuditEvent(tx, deps.clock, {
        actor: SYSTEM,
        action: "user.create",
        target: { type: "user", id: admin.id },
        // not the e-mail address: the trail is append-only and must outlive an account erasure
        metadata: { role: "ADMIN" },
      });
    });
  } catch (error) {
    // another process bootstrapped at the same moment
    if ((error as { code?: string }).code === "P2002") return { firstRun: false };
    throw error;
  }

  const result: BootstrapResult = { firstRun: true, admin: { email, generatedPassword } };
  if (input.withDemo) {
    const org = await createOrganization(deps, { name: "Demo", tier: "free", actor: SYSTEM });
    const apiKey = await createApiKey(deps, {
      organizationId: org.id,
      name: "Demo key",
      actor: SYSTEM,
    });
    result.demo = { organizationId: org.id, apiKey };
  }
  return result;
}
