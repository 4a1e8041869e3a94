import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { hashApiKeySecret } from "../credentials/credential-secret.ts";
import { verifyPassword } from "../users/password.ts";
import { bootstrapPlatform } from "./bootstrap-platform.ts";

const pepper = "bootstrap-pepper-0123456789abcdef";
const clock = fakeClock();

describe("bootstrapPlatform", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });

  it("creates the admin, the demo organization and key once, with the secrets shown that time only", async () => {
    const first = await bootstrapPlatform(
      { db: t.db, clock, pepper },
      { adminEmail: " Admin@Example.com ", withDemo: true },
    );
    expect(first.firstRun).toBe(true);
    expect(first.admin?.email).toBe("admin@example.com");
    const password = first.admin?.generatedPassword ?? "";
    expect(password).toMatch(/^[0-9A-Za-z]{20}$/);

    const admin = await t.db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    expect(admin.role).toBe("ADMIN");
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(admin.passwordHash ?? "", password)).toBe(true);
    expect(await verifyPassword(admin.passwordHash ?? "", "wrong password")).toBe(false);

    const demo = first.demo;
    if (!demo) throw new Error("no demo");
    const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: demo.apiKey.key.id } });
    expect(key.hash).toBe(hashApiKeySecret(demo.apiKey.secret, pepper));
    const org = await t.db.organization.findUniqueOrThrow({
      where: { id: demo.organizationId },
      include: { tier: true },
    });
    expect(org.tier.slug).toBe("free");

    const second = await bootstrapPlatform(
      { db: t.db, clock, pepper },
      { adminEmail: "admin@example.com", withDemo: true },
    );
    expect(second).toEqual({ firstRun: false });
    expect(await t.db.organization.count()).toBe(1);
    expect(await t.db.apiKey.count()).toBe(1);
  });

  it("uses the configured admin password instead of generating one", async () => {
    const fresh = await createTestDatabase();
    const result = await bootstrapPlatform(
      { db: fresh.db, clock, pepper },
      { adminEmail: "root@example.com", adminPassword: "correct horse battery", withDemo: false },
    );
    expect(result.admin?.generatedPassword).toBeNull();
    expect(result.demo).toBeUndefined();
    const admin = await fresh.db.user.findUniqueOrThrow({ where: { email: "root@example.com" } });
    expect(await verifyPassword(admin.passwordHash ?? "", "correct horse battery")).toBe(true);
  });
});
