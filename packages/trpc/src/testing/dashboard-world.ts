import {
  type Clock,
  cliActor,
  createOrganization,
  createUser,
  parseMasterKeyring,
  type Role,
  systemClock,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import { appRouter } from "../app-router.ts";
import type { SessionUser, TrpcContext } from "../context.ts";

export const TEST_PEPPER = "trpc-test-pepper-0123456789abcdef0123";
/** the master keys of the world's dashboard: write logs with it to open them through procedures */
export const TEST_KEYRING = parseMasterKeyring(Buffer.alloc(32, 11).toString("base64"));

/** Two organizations and one person of each role, the developer in the first organization. */
export interface DashboardWorld {
  ownOrg: string;
  otherOrg: string;
  people: Record<Role, SessionUser>;
  /** what was published on the revocation bus */
  published: string[];
  /** `context` overrides what the dashboard's server would set, e.g. `hasIdentityProvider` */
  caller(user: SessionUser | null, context?: Partial<TrpcContext>): ReturnType<typeof appRouter.createCaller>;
  as(role: Role): ReturnType<typeof appRouter.createCaller>;
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
  const person = async (role: Role) => {
    const user = await createUser(deps, {
      email: `${role.toLowerCase()}-${tag}@example.com`,
      role,
      organizationId: role === "DEVELOPER" ? ownOrg : null,
      password: "a test password 123",
      actor: cliActor(),
    });
    return { id: user.id, role, organizationId: user.organizationId };
  };
  const people = {
    ADMIN: await person("ADMIN"),
    COMPLIANCE: await person("COMPLIANCE"),
    DEVELOPER: await person("DEVELOPER"),
  };
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
  return { ownOrg, otherOrg, people, published, caller, as: (role) => caller(people[role]) };
}
