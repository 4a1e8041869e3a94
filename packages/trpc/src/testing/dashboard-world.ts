import {
  type AccessRole,
  type Clock,
  cliActor,
  createOrganization,
  createUser,
  isMemberRole,
  parseMasterKeyring,
  systemClock,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import { appRouter } from "../app-router.ts";
import type { SessionUser, TrpcContext } from "../context.ts";

export const TEST_PEPPER = "trpc-test-pepper-0123456789abcdef0123";
/** the master keys of the world's dashboard: write logs with it to open them through procedures */
export const TEST_KEYRING = parseMasterKeyring(Buffer.alloc(32, 11).toString("base64"));

/**
 * Two organizations and one person of each role: the owner, the developer and the viewer are
 * members of the first organization; `nobody` belongs to no organization.
 */
export interface DashboardWorld {
  ownOrg: string;
  otherOrg: string;
  people: Record<AccessRole, SessionUser>;
  /** a signed-in person of no organization */
  nobody: SessionUser;
  /** what was published on the revocation bus */
  published: string[];
  /** `context` overrides what the dashboard's server would set, e.g. `hasIdentityProvider` */
  caller(user: SessionUser | null, context?: Partial<TrpcContext>): ReturnType<typeof appRouter.createCaller>;
  as(role: AccessRole): ReturnType<typeof appRouter.createCaller>;
}

export async function createDashboardWorld(
  db: Database,
  clock: Clock = systemClock,
): Promise<DashboardWorld> {
  const deps = { db, clock };
  const tag = Math.random().toString(36).slice(2, 8);
  const ownOrg = (await createOrganization(deps, { name: `Own ${tag}`, tier: "free", actor: cliActor() })).id;
  const otherOrg = (await createOrganization(deps, { name: `Other ${tag}`, tier: "pro", actor: cliActor() }))
    .id;
  const person = async (role: AccessRole) => {
    const member = isMemberRole(role);
    const user = await createUser(deps, {
      email: `${role.toLowerCase()}-${tag}@example.com`,
      role: member ? "DEVELOPER" : role,
      organizationId: member ? ownOrg : null,
      ...(member ? { memberRole: role } : {}),
      password: "a test password 123",
      actor: cliActor(),
    });
    const platformRole = member ? ("DEVELOPER" as const) : role;
    return { id: user.id, role, platformRole, organizationId: user.organizationId, emailVerified: true };
  };
  const people = {
    ADMIN: await person("ADMIN"),
    COMPLIANCE: await person("COMPLIANCE"),
    OWNER: await person("OWNER"),
    DEVELOPER: await person("DEVELOPER"),
    VIEWER: await person("VIEWER"),
  };
  const lonely = await createUser(deps, {
    email: `nobody-${tag}@example.com`,
    role: "DEVELOPER",
    organizationId: ownOrg,
    password: "a test password 123",
    actor: cliActor(),
  });
  // as after leaving their last organization
  await db.membership.deleteMany({ where: { userId: lonely.id } });
  await db.user.update({ where: { id: lonely.id }, data: { organizationId: null } });
  const nobody: SessionUser = { id: lonely.id, role: null, platformRole: "DEVELOPER", organizationId: null };
  const published: string[] = [];
  const context = (user: SessionUser | null): TrpcContext => ({
    db,
    clock,
    pepper: TEST_PEPPER,
    revocations: {
      async publish(id) {
        published.push(id);
      },
    },
    user,
    origin: "192.0.2.10",
    keyring: TEST_KEYRING,
  });
  const caller = (user: SessionUser | null, overrides: Partial<TrpcContext> = {}) =>
    appRouter.createCaller({ ...context(user), ...overrides });
  return { ownOrg, otherOrg, people, nobody, published, caller, as: (role) => caller(people[role]) };
}
