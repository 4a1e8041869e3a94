import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./same-origin.ts";

describe("isSameOrigin", () => {
  it("accepts this dashboard's pages and non-browser callers", () => {
    expect(isSameOrigin(new Headers({ origin: "https://dash.example", host: "dash.example" }))).toBe(true);
    expect(isSameOrigin(new Headers({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }))).toBe(true);
    expect(
      isSameOrigin(
        new Headers({
          origin: "https://dash.example",
          host: "10.0.0.5:3000",
          "x-forwarded-host": "dash.example",
        }),
      ),
    ).toBe(true);
    expect(isSameOrigin(new Headers({ host: "dash.example" }))).toBe(true);
  });

  it("refuses other sites and nonsense", () => {
    expect(isSameOrigin(new Headers({ origin: "https://evil.example", host: "dash.example" }))).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "null", host: "dash.example" }))).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "http://dash.example:8080", host: "dash.example" }))).toBe(
      false,
    );
  });
});
