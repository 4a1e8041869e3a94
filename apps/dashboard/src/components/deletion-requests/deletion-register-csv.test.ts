import { describe, expect, it } from "vitest";
import { type DeletionRegisterRow, deletionRegisterCsv } from "./deletion-register-csv.ts";

const completed: DeletionRegisterRow = {
  id: "delreq_1",
  subjectType: "END_USER",
  subjectId: "=cmd()",
  organizationId: "org_1",
  organizationName: "Acme, Inc",
  requestedBy: "user:usr_1",
  requestedByName: "Olga Officer",
  createdAt: new Date("2026-12-01T10:00:00.000Z"),
  dueAt: new Date("2026-12-04T10:00:00.000Z"),
  status: "COMPLETED",
  startedAt: new Date("2026-12-01T10:01:00.000Z"),
  completedAt: new Date("2026-12-05T10:00:00.000Z"),
  erased: { files: 1, chat_logs: 3 },
};

describe("deletionRegisterCsv", () => {
  it("writes one line per request: names, times, lateness and counts, formulas defused", () => {
    const pending: DeletionRegisterRow = {
      ...completed,
      id: "delreq_2",
      subjectId: "bob",
      requestedBy: "api_key:key_1",
      requestedByName: null,
      status: "PENDING",
      startedAt: null,
      completedAt: null,
      erased: null,
    };
    const lines = deletionRegisterCsv([completed, pending], new Date("2026-12-03T10:00:00.000Z")).split(
      "\r\n",
    );
    expect(lines[0]).toBe(
      "Request,Subject type,Subject,Organization,Organization id,Requested by,Requested by (id),Requested at,Deadline,Status,Started at,Completed at,Late,Records erased,Erased by kind",
    );
    expect(lines[1]).toBe(
      `delreq_1,END_USER,'=cmd(),"Acme, Inc",org_1,Olga Officer,user:usr_1,2026-12-01T10:00:00.000Z,2026-12-04T10:00:00.000Z,COMPLETED,2026-12-01T10:01:00.000Z,2026-12-05T10:00:00.000Z,true,4,chat_logs=3; files=1`,
    );
    expect(lines[2]).toBe(
      `delreq_2,END_USER,bob,"Acme, Inc",org_1,api_key:key_1,api_key:key_1,2026-12-01T10:00:00.000Z,2026-12-04T10:00:00.000Z,PENDING,,,false,,`,
    );
    expect(lines).toHaveLength(4);
  });

  it("marks a request late when it completed past its deadline, or is still open past it at export", () => {
    const late = (row: DeletionRegisterRow, exportedAt: string) =>
      deletionRegisterCsv([row], new Date(exportedAt)).split("\r\n")[1]?.split(",").at(-3);
    const open = { ...completed, status: "FAILED", completedAt: null, erased: null };
    expect(late(open, "2026-12-04T10:00:01.000Z")).toBe("true");
    expect(late(open, "2026-12-04T09:59:59.000Z")).toBe("false");
    // a completed request is judged by when it completed, whenever it is exported
    expect(late({ ...completed, completedAt: new Date("2026-12-03T10:00:00.000Z") }, "2027-01-01")).toBe(
      "false",
    );
    expect(late(completed, "2026-12-01T11:00:00.000Z")).toBe("true");
  });
});
