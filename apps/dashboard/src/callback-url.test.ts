import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url.ts";

const origin = "https://dashboard.example.com";

describe("safeCallbackPath", () => {
  it.each([
    ["/", "/"],
    ["/organizations", "/organizations"],
    ["/organizations/org_1?tab=keys#members", "/organizations/org_1?tab=keys#members"],
    ["/deletion-requests/delreq_1?existing=1", "/deletion-requests/delreq_1?existing=1"],
    // resolved as the browser would, still on this site
    ["/a/../people", "/people"],
  ])("keeps the path of this site %j", (value, expected) => {
    expect(safeCallbackPath(value, origin)).toBe(expected);
  });

  it.each([
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with a path", "//evil.example/organizations"],
    ["backslash (browsers read it as a slash)", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["encoded tab between the slashes", "/%09/evil.example"],
    ["tab between the slashes (browsers drop it)", "/\t/evil.example"],
    ["tab after the slash", "/\tevil"],
    ["newline after the slash", "/\nevil"],
    ["carriage return after the slash", "/\revil"],
    ["encoded newline", "/%0a/evil.example"],
    ["encoded slash", "/%2F/evil.example"],
    ["encoded backslash", "/%5Cevil.example"],
    ["absolute URL elsewhere", "https://evil.example"],
    ["absolute URL of another scheme", "http://dashboard.example.com/organizations"],
    ["absolute URL of this site (not a path)", "https://dashboard.example.com/organizations"],
    ["javascript:", "javascript:alert(document.cookie)"],
    ["javascript: behind a slash-less path", "javascript://%0aalert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["relative without a slash", "organizations"],
    ["relative upward", "../evil"],
    ["malformed escape", "/%E0%A4%A"],
    ["empty", ""],
    ["leading space", " /organizations"],
  ])("falls back to / for %s", (_name, value) => {
    expect(safeCallbackPath(value, origin)).toBe("/");
  });

  it("falls back to / for anything but a string", () => {
    for (const value of [undefined, null, 42, ["/organizations"], { href: "/organizations" }]) {
      expect(safeCallbackPath(value, origin)).toBe("/");
    }
  });

  it("compares with the origin alone, whatever path the origin is given with", () => {
    expect(safeCallbackPath("/people", `${origin}/api/auth`)).toBe("/people");
    expect(safeCallbackPath("//evil.example", `${origin}/api/auth`)).toBe("/");
  });
});
