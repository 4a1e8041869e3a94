import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDashboardEnv } from "./env.ts";

describe("parseDashboardEnv", () => {
  it("applies the defaults when nothing is set", () => {
    const env = parseDashboardEnv({ DATA_DIR: "/srv/dsc" });
    expect(env).toEqual({
      WEB_PORT: 3000,
      GATEWAY_PUBLIC_URL: "http://localhost:8080",
      GATEWAY_URL: "http://localhost:8080",
      METRICS_TOKEN: null,
      NEXTAUTH_URL: "http://localhost:3000",
      NEXTAUTH_SECRET: null,
      API_KEY_PEPPER: null,
      ENCRYPTION_KEY: null,
      DATABASE_URL: null,
      DATA_DIR: path.resolve("/srv/dsc"),
      REDIS_URL: null,
      isProduction: false,
      oidc: null,
      github: null,
      fileStorage: { S3_FORCE_PATH_STYLE: false },
      webhookAddressPolicy: { allowPrivate: false },
      signup: "invite",
      mail: null,
    });
  });

  it("sends account e-mail through SMTP_URL from MAIL_FROM, and refuses an open sign-up without e-mail", () => {
    const env = parseDashboardEnv({
      SIGNUP: "open",
      SMTP_URL: "smtps://mailer:secret@mail.example.com",
      MAIL_FROM: "Platform <noreply@example.com>",
    });
    expect(env).toMatchObject({
      signup: "open",
      mail: { smtpUrl: "smtps://mailer:secret@mail.example.com", from: "Platform <noreply@example.com>" },
    });
    expect(() => parseDashboardEnv({ SIGNUP: "open" })).toThrow(/SIGNUP=open needs SMTP_URL/);
    expect(() => parseDashboardEnv({ SIGNUP: "sometimes" })).toThrow(/SIGNUP must be open, invite or closed/);
    // the URL may hold a password: a refusal never repeats it
    const refusal = (() => {
      try {
        parseDashboardEnv({ SMTP_URL: "smtps://mailer:hunter2hunter2@mail.example.com" });
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(refusal).toMatch(/MAIL_FROM must be set with SMTP_URL/);
    expect(refusal).not.toContain("hunter2");
  });

  it("reads set values and drops trailing slashes", () => {
    const env = parseDashboardEnv({
      WEB_PORT: "4100",
      GATEWAY_PUBLIC_URL: "https://api.example.com/",
      NEXTAUTH_URL: "https://dashboard.example.com/",
      DATABASE_URL: "postgresql://db.example.com/dsc",
      REDIS_URL: "redis://cache:6379",
    });
    expect(env).toMatchObject({
      WEB_PORT: 4100,
      GATEWAY_PUBLIC_URL: "https://api.example.com",
      NEXTAUTH_URL: "https://dashboard.example.com",
      DATABASE_URL: "postgresql://db.example.com/dsc",
      REDIS_URL: "redis://cache:6379",
    });
  });

  it("reaches the gateway at its public address unless GATEWAY_URL says where", () => {
    expect(parseDashboardEnv({ GATEWAY_PUBLIC_URL: "https://api.example.com/" }).GATEWAY_URL).toBe(
      "https://api.example.com",
    );
    const env = parseDashboardEnv({
      GATEWAY_PUBLIC_URL: "https://api.example.com",
      GATEWAY_URL: "http://127.0.0.1:8080/",
      METRICS_TOKEN: "m".repeat(32),
    });
    expect(env).toMatchObject({ GATEWAY_URL: "http://127.0.0.1:8080", METRICS_TOKEN: "m".repeat(32) });
  });

  it("sends the metrics token only to a GATEWAY_URL that is set, never to the public address", () => {
    const env = parseDashboardEnv({
      GATEWAY_PUBLIC_URL: "https://api.example.com",
      METRICS_TOKEN: "m".repeat(32),
    });
    // readiness is still read at the public address; the gauges are reported as without a token
    expect(env).toMatchObject({ GATEWAY_URL: "https://api.example.com", METRICS_TOKEN: null });
  });

  it("defaults the NextAuth address to this server's port", () => {
    expect(parseDashboardEnv({ WEB_PORT: "4200" }).NEXTAUTH_URL).toBe("http://localhost:4200");
  });

  it("treats empty strings as unset", () => {
    const env = parseDashboardEnv({ NEXTAUTH_URL: "", WEB_PORT: "", NEXTAUTH_SECRET: "" });
    expect(env.WEB_PORT).toBe(3000);
    expect(env.NEXTAUTH_SECRET).toBeNull();
  });

  it("switches OIDC and GitHub sign-in on only when fully configured", () => {
    const env = parseDashboardEnv({
      OIDC_ISSUER: "https://id.example.com/realms/main/",
      OIDC_CLIENT_ID: "dashboard",
      OIDC_CLIENT_SECRET: "s3cret",
      GITHUB_CLIENT_ID: "gh-id",
      GITHUB_CLIENT_SECRET: "gh-secret",
    });
    expect(env.oidc).toEqual({
      issuer: "https://id.example.com/realms/main",
      clientId: "dashboard",
      clientSecret: "s3cret",
      name: "Single sign-on",
    });
    expect(env.github).toEqual({ clientId: "gh-id", clientSecret: "gh-secret" });
    expect(() => parseDashboardEnv({ OIDC_ISSUER: "https://id.example.com" })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => parseDashboardEnv({ GITHUB_CLIENT_ID: "gh-id" })).toThrow(/GITHUB_CLIENT_SECRET/);
  });

  it("requires the shared secrets in production, judged by the operator's NODE_ENV", () => {
    const secrets = { NEXTAUTH_SECRET: "n".repeat(32), API_KEY_PEPPER: "p".repeat(32) };
    expect(() => parseDashboardEnv({ NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET must be set/);
    expect(() => parseDashboardEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "n".repeat(32) })).toThrow(
      /API_KEY_PEPPER must be set/,
    );
    expect(parseDashboardEnv({ NODE_ENV: "production", ...secrets }).isProduction).toBe(true);
    // `next start` forces NODE_ENV=production; npm start passes the operator's value beside it
    expect(parseDashboardEnv({ NODE_ENV: "production", PLATFORM_NODE_ENV: "development" }).isProduction).toBe(
      false,
    );
    // `next build` loads modules without the runtime secrets
    expect(parseDashboardEnv({ NODE_ENV: "production" }, { isBuild: true }).isProduction).toBe(true);
  });

  it.each([
    ["WEB_PORT", "abc"],
    ["WEB_PORT", "70000"],
    ["WEB_PORT", "30.5"],
    ["GATEWAY_PUBLIC_URL", "ftp://example.com"],
    ["GATEWAY_PUBLIC_URL", "localhost:8080"],
    ["GATEWAY_URL", "file:///etc/passwd"],
    ["METRICS_TOKEN", "too-short"],
    ["NEXTAUTH_URL", "not a url"],
    ["NEXTAUTH_SECRET", "too-short"],
    ["DATABASE_URL", "mysql://db"],
    ["REDIS_URL", "http://cache"],
  ])("refuses %s=%s with a message naming the variable", (variable, value) => {
    expect(() => parseDashboardEnv({ [variable]: value })).toThrow(
      expect.objectContaining({
        name: "InvalidDashboardEnvError",
        message: expect.stringContaining(variable),
      }),
    );
  });

  it("does not echo the rejected value, since several variables are secrets", () => {
    expect(() => parseDashboardEnv({ NEXTAUTH_SECRET: "s3cret-value" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret-value") }),
    );
  });

  it("takes the gateway's file storage, and refuses half an S3 configuration", () => {
    expect(parseDashboardEnv({ S3_BUCKET: "files", S3_REGION: "eu-west-1" }).fileStorage).toMatchObject({
      S3_BUCKET: "files",
      S3_REGION: "eu-west-1",
    });
    expect(() => parseDashboardEnv({ S3_ENDPOINT: "https://s3.example.com" })).toThrow(/S3_BUCKET/);
  });
});
