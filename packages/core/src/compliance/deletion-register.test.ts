import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createUser } from "../users/create-user.ts";
import { getDeletionRequestReport } from "./get-deletion-request-report.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import { searchDeletionRequests } from "./search-deletion-requests.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-09-01T00:00:00Z"));
const deps = () => ({ db: t.db, clock });

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("the deletion register's rows", () => {
  it("name the person who opened a request, and carry the counts of a completed one", async () => {
    const org = await createOrganization(deps(), { name: "Register", tier: "free", actor: cliActor() });
    const named = await createUser(deps(), {
      email: "officer@register.example",
      name: "Olga Officer",
      role: "COMPLIANCE",
      organizationId: null,
      password: "a test password 123",
      actor: cliActor(),
    });
    const unnamed = await createUser(deps(), {
      email: "second@register.example",
      role: "COMPLIANCE",
      organizationId: null,
      password: "a test password 123",
      actor: cliActor(),
    });
    const open = (subjectId: string, actor: Parameters<typeof requestDeletion>[1]["actor"]) =>
      requestDeletion(deps(), { organizationId: org.id, subjectType: "END_USER", subjectId, actor });
    const byNamed = await open("by-named", { type: "USER", id: named.id, origin: "198.51.100.1" });
    await open("by-unnamed", { type: "USER", id: unnamed.id, origin: "198.51.100.1" });
    await open("by-key", { type: "API_KEY", id: "key_register", origin: "198.51.100.1" });

    await processDeletionRequests({
      ...deps(),
      erasers: [{ kind: "chat_logs", erase: async (subject) => (subject.id === "by-named" ? 3 : 0) }],
    });
    const { items } = await searchDeletionRequests(deps(), { organizationId: org.id });
    const row = (subjectId: string) => items.find((item) => item.subjectId === subjectId);
    expect(row("by-named")).toMatchObject({
      requestedBy: `user:${named.id}`,
      requestedByName: "Olga Officer",
      status: "COMPLETED",
      erased: { chat_logs: 3 },
    });
    expect(row("by-unnamed")).toMatchObject({ requestedByName: "second@register.example" });
    expect(row("by-key")).toMatchObject({ requestedBy: "api_key:key_register", requestedByName: null });

    const report = await getDeletionRequestReport(deps(), { id: byNamed.request.id });
    expect(report).toMatchObject({ requestedByName: "Olga Officer", erased: { chat_logs: 3 } });
  });
});
