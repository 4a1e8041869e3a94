import { describe, expect, it } from "vitest";
import {
  analyticsInput,
  parseUsageView,
  serializeUsageView,
  type UsageView,
  type UsageViewer,
} from "./usage-view.ts";

const admin: UsageViewer = { ownOrganizationId: null };
const developer: UsageViewer = { ownOrganizationId: "org_dev" };
const now = new Date("2026-12-02T17:26:18.000Z");
const parse = (query: string, viewer = admin) => parseUsageView(new URLSearchParams(query), viewer);

describe("parseUsageView", () => {
  it("gives the default view for an empty address", () => {
    expect(parse("")).toEqual({
      range: "24h",
      bucket: undefined,
      firstDay: undefined,
      lastDay: undefined,
      organizationId: undefined,
      groupBy: "none",
      modelId: undefined,
      apiKeyId: undefined,
      display: "chart",
    });
  });

  it("reads every setting back that serializeUsageView wrote", () => {
    const view: UsageView = {
      range: "custom",
      bucket: "day",
      firstDay: "2026-10-01",
      lastDay: "2026-11-30",
      organizationId: "org_1",
      groupBy: "endUser",
      modelId: "gpt-4.1",
      apiKeyId: "key_1",
      display: "table",
    };
    const query = serializeUsageView(view);
    expect(query).toBe(
      "range=custom&from=2026-10-01&to=2026-11-30&bucket=day&organizationId=org_1&groupBy=endUser&modelId=gpt-4.1&apiKeyId=key_1&view=table",
    );
    expect(parse(query)).toEqual(view);
  });

  it("leaves the defaults out of the address", () => {
    expect(serializeUsageView(parse(""))).toBe("");
    expect(serializeUsageView(parse("range=24h&bucket=hour&groupBy=none&view=chart"))).toBe("");
    expect(serializeUsageView(parse("range=7d&bucket=day"))).toBe("range=7d&bucket=day");
  });

  it("falls back to the defaults for unknown, invalid or oversized values", () => {
    const view = parse(`range=2y&groupBy=everything&view=pie&organizationId=${"x".repeat(101)}&bucket=week`);
    expect(view).toMatchObject({
      range: "24h",
      groupBy: "none",
      display: "chart",
      organizationId: undefined,
    });
    expect(parse("range=custom&from=2026-11-05&to=2026-11-01")).toMatchObject({
      range: "24h",
      firstDay: undefined,
    });
    expect(parse("range=custom&from=2026-11-01")).toMatchObject({ range: "24h" });
  });

  it("groups by organization only across organizations and by end user only within one", () => {
    expect(parse("groupBy=organization").groupBy).toBe("organization");
    expect(parse("groupBy=organization&organizationId=org_1").groupBy).toBe("none");
    expect(parse("groupBy=endUser").groupBy).toBe("none");
    expect(parse("groupBy=endUser&organizationId=org_1").groupBy).toBe("endUser");
  });

  it("keeps a key filter only within an organization", () => {
    expect(parse("apiKeyId=key_1").apiKeyId).toBeUndefined();
    expect(parse("apiKeyId=key_1&organizationId=org_1").apiKeyId).toBe("key_1");
  });

  it("shows a developer their own organization whatever the address says", () => {
    expect(parse("organizationId=org_other", developer).organizationId).toBe("org_dev");
    expect(parse("groupBy=organization", developer).groupBy).toBe("none");
    expect(parse("groupBy=endUser&apiKeyId=key_1", developer)).toMatchObject({
      groupBy: "endUser",
      apiKeyId: "key_1",
    });
  });
});

describe("analyticsInput", () => {
  it("turns a view into the procedure's input", () => {
    expect(
      analyticsInput(parse("range=7d&bucket=day&groupBy=model&organizationId=org_1&modelId=m"), now),
    ).toEqual({
      from: new Date("2026-11-26T00:00:00.000Z"),
      to: new Date("2026-12-03T00:00:00.000Z"),
      bucket: "day",
      groupBy: "model",
      organizationId: "org_1",
      modelId: "m",
    });
    expect(analyticsInput(parse(""), now)).toEqual({
      from: new Date("2026-12-01T18:00:00.000Z"),
      to: new Date("2026-12-02T18:00:00.000Z"),
      bucket: "hour",
      groupBy: "none",
    });
  });
});
