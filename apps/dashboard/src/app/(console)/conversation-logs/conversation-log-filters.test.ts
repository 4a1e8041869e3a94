import { describe, expect, it } from "vitest";
import { conversationLogFilterOf, isFiltered, NO_FILTERS } from "./conversation-log-filters.ts";

describe("the conversation-log list's filters", () => {
  it("count as none when every field is blank, whichever object holds them", () => {
    expect(isFiltered({ ...NO_FILTERS })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, apiKeyId: "  ", modelId: " " })).toBe(false);
    // a day that is not one filters nothing
    expect(isFiltered({ ...NO_FILTERS, fromDay: "2026-02-30" })).toBe(false);
  });

  it("count when a field narrows the list", () => {
    expect(isFiltered({ ...NO_FILTERS, endUserId: "zoe" })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, toDay: "2026-12-01" })).toBe(true);
  });

  it("become the procedure's input: trimmed ids, the end user as typed, UTC days inclusive", () => {
    expect(
      conversationLogFilterOf({
        apiKeyId: " key_1 ",
        endUserId: " zoe",
        modelId: "",
        fromDay: "2026-12-01",
        toDay: "2026-12-02",
      }),
    ).toEqual({
      apiKeyId: "key_1",
      endUserId: " zoe",
      from: new Date("2026-12-01T00:00:00.000Z"),
      to: new Date("2026-12-03T00:00:00.000Z"),
    });
  });
});
