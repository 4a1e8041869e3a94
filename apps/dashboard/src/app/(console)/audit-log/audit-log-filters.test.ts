import { describe, expect, it } from "vitest";
import {
  type AuditFilterFields,
  auditFilterFieldsOf,
  auditFilterOf,
  auditFilterSearchParams,
} from "./audit-log-filters.ts";

const blank: AuditFilterFields = {
  actorId: "",
  action: "",
  targetType: "",
  targetId: "",
  fromDay: "",
  toDay: "",
};

describe("the audit log's filter in the address", () => {
  it("keeps every field, the days included, across a reload", () => {
    const fields: AuditFilterFields = {
      actorId: "usr_1",
      action: "chat_log.viewed",
      targetType: "chat_log",
      targetId: "log 1",
      fromDay: "2026-11-01",
      toDay: "2026-11-30",
    };
    const params = auditFilterSearchParams(fields, "org_1");
    expect(params.get("from")).toBe("2026-11-01");
    expect(params.get("to")).toBe("2026-11-30");
    const read = auditFilterFieldsOf(Object.fromEntries(new URLSearchParams(params.toString())));
    expect(read).toEqual({ fields, organizationId: "org_1" });
  });

  it("leaves out blank fields and days that are not days", () => {
    expect(auditFilterSearchParams(blank, undefined).toString()).toBe("");
    expect(auditFilterSearchParams({ ...blank, fromDay: "2026-02-30" }, undefined).toString()).toBe("");
    expect(auditFilterFieldsOf({ from: "yesterday", to: ["2026-12-02", "2026-12-09"] })).toEqual({
      fields: { ...blank, toDay: "2026-12-02" },
      organizationId: undefined,
    });
  });

  it("becomes the procedure's filter with UTC days, the last one inclusive", () => {
    expect(auditFilterOf({ ...blank, fromDay: "2026-11-01", toDay: "2026-11-30" }, undefined)).toEqual({
      from: new Date("2026-11-01T00:00:00.000Z"),
      to: new Date("2026-12-01T00:00:00.000Z"),
    });
  });
});
