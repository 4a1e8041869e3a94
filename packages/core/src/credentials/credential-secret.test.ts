import { describe, expect, it } from "vitest";
import {
  displayPrefix,
  generateApiKeySecret,
  hashApiKeySecret,
  looksLikeApiKeySecret,
  matchesApiKeyHash,
} from "./credential-secret.ts";

describe("API key secrets", () => {
  it("are sk- followed by 48 base62 characters", () => {
    const secret = generateApiKeySecret();
    expect(secret).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    expect(looksLikeApiKeySecret(secret)).toBe(true);
    expect(looksLikeApiKeySecret(`${secret}x`)).toBe(false);
  });

  it("do not repeat and use the whole alphabet evenly", () => {
    const secrets = Array.from({ length: 2000 }, generateApiKeySecret);
    expect(new Set(secrets).size).toBe(secrets.length);
    const counts = new Map<string, number>();
    for (const char of secrets.join("").replaceAll("sk-", "")) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 96,000 draws over 62 symbols: about 1,548 each; a modulo bias would skew the low ones
    for (const count of counts.values()) expect(count).toBeGreaterThan(1300);
    for (const count of counts.values()) expect(count).toBeLessThan(1800);
  });

  it("are stored as a keyed hash that depends on the pepper", () => {
    const secret = generateApiKeySecret();
    const hash = hashApiKeySecret(secret, "pepper-one");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret.slice(3, 12));
    expect(hashApiKeySecret(secret, "pepper-one")).toBe(hash);
    expect(hashApiKeySecret(secret, "pepper-two")).not.toBe(hash);
  });

  it("match only their own hash under the same pepper", () => {
    const secret = generateApiKeySecret();
    const hash = hashApiKeySecret(secret, "p");
    expect(matchesApiKeyHash(secret, hash, "p")).toBe(true);
    expect(matchesApiKeyHash(generateApiKeySecret(), hash, "p")).toBe(false);
    expect(matchesApiKeyHash(secret, hash, "other")).toBe(false);
    expect(matchesApiKeyHash(secret, "abcd", "p")).toBe(false);
  });

  it("show a prefix that reveals only a few characters", () => {
    const secret = generateApiKeySecret();
    const prefix = displayPrefix(secret);
    expect(prefix).toBe(`${secret.slice(0, 6)}…${secret.slice(-4)}`);
  });
});
