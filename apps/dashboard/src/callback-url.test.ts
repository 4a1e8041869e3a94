import { describe, expect, it } from "vitest";
import { safeCallbackPath, signInPathFor } from "./callback-url.ts";

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

describe("signInPathFor", () => {
  it("carries a deep link to the sign-in page, encoded, and back out through safeCallbackPath", () => {
    const path = signInPathFor("/organizations/org_1?tab=keys&x=a b", origin);
    expect(path).toBe("/login?callbackUrl=%2Forganizations%2Forg_1%3Ftab%3Dkeys%26x%3Da%2520b");
    const carried = new URL(path, origin).searchParams.get("callbackUrl");
    expect(safeCallbackPath(carried, origin)).toBe("/organizations/org_1?tab=keys&x=a%20b");
    expect(signInPathFor("/deletion-requests/delreq_1", origin)).toBe(
      "/login?callbackUrl=%2Fdeletion-requests%2Fdelreq_1",
    );
  });

  it.each([
    ["nothing asked for", null],
    ["the start page", "/"],
    ["the sign-in page itself", "/login"],
    ["the sign-in page with its own way back", "/login?callbackUrl=%2Fpeople"],
    ["a path to another site", "//evil.example/organizations"],
    ["a backslash path", "/\\evil.example"],
    ["an absolute URL", "https://evil.example/"],
  ])("is the bare sign-in page for %s", (_name, requested) => {
    expect(signInPathFor(requested, origin)).toBe("/login");
  });
});
