import type { FileObject } from "@dsc/api-client";
import { cliActor, setLegalHold } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/** A legal hold keeps an organization's files: the API refuses to delete them until it is lifted. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date());

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, clock });
  await t.db.tier.create({
    data: {
      id: "tier_held",
      slug: "held",
      name: "Held",
      requestsPerMinute: 100_000,
      maxFileBytes: 1n << 20n,
    },
  });
});
afterAll(() => gateway.close());

describe("DELETE /v1/files/{id} under a legal hold", () => {
  it("answers 409 legal_hold and keeps the file; once the hold is lifted, the file is deleted", async () => {
    const { secret, org } = await createOrgWithKey(t.db, { tier: "held", clock });
    const call = (method: string, url: string, body?: FormData) =>
      fetch(`${gateway.url}${url}`, { method, headers: { authorization: `Bearer ${secret}` }, body });
    const form = new FormData();
    form.set("purpose", "user_data");
    form.set("file", new Blob(["kept for the matter"], { type: "text/plain" }), "evidence.txt");
    const uploaded = await call("POST", "/v1/files", form);
    expect(uploaded.status).toBe(200);
    const file = await jsonOf<FileObject>(uploaded);

    const deps = { db: t.db, clock };
    await setLegalHold(deps, {
      organizationId: org.id,
      legalHold: true,
      reason: "matter 42",
      actor: cliActor("test"),
    });
    const refused = await call("DELETE", `/v1/files/${file.id}`);
    expect(refused.status).toBe(409);
    expect((await jsonOf(refused)).error).toMatchObject({
      type: "invalid_request_error",
      code: "legal_hold",
      param: "file_id",
    });
    expect((await call("GET", `/v1/files/${file.id}`)).status).toBe(200);
    expect(await (await call("GET", `/v1/files/${file.id}/content`)).text()).toBe("kept for the matter");
    expect(await t.db.auditEvent.count({ where: { action: "file.delete", targetId: file.id } })).toBe(0);

    await setLegalHold(deps, { organizationId: org.id, legalHold: false, actor: cliActor("test") });
    const deleted = await call("DELETE", `/v1/files/${file.id}`);
    expect(deleted.status).toBe(200);
    expect(await jsonOf(deleted)).toEqual({ id: file.id, object: "file", deleted: true });
    expect((await call("GET", `/v1/files/${file.id}`)).status).toBe(404);
  });
});
