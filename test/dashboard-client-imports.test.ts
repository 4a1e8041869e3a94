import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * A "use client" file of the dashboard is bundled for the browser: importing @dsc/core or
 * @dsc/db there would ship server code (and its secrets' readers) to the browser, or fail the
 * build. Biome cannot select files by their directive, so the lint rule (apps/dashboard/biome.json)
 * keeps @dsc/core and @dsc/db to src/server/ and src/env.ts; this checks the directive itself:
 * every client file lies outside those, and imports neither package.
 */
const DASHBOARD_SOURCE = join(import.meta.dirname, "../apps/dashboard/src");
const SERVER_ONLY = /^@dsc\/(?:core|db)(?:\/|$)/;

interface ClientFile {
  path: string;
  imports: string[];
}

function clientFiles(): ClientFile[] {
  const found: ClientFile[] = [];
  for (const path of readdirSync(DASHBOARD_SOURCE, { recursive: true, encoding: "utf8" }).sort()) {
    if (!/\.tsx?$/.test(path)) continue;
    const source = ts.createSourceFile(
      path,
      readFileSync(join(DASHBOARD_SOURCE, path), "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    const first = source.statements[0];
    const isClient =
      first !== undefined &&
      ts.isExpressionStatement(first) &&
      ts.isStringLiteral(first.expression) &&
      first.expression.text === "use client";
    if (!isClient) continue;
    const imports = source.statements.flatMap((statement) =>
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? [statement.moduleSpecifier.text]
        : [],
    );
    found.push({ path, imports });
  }
  return found;
}

describe("the dashboard's client components", () => {
  const files = clientFiles();

  it("are found (the scan itself works)", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("import neither @dsc/core nor @dsc/db", () => {
    const serverImports = files.flatMap((file) =>
      file.imports
        .filter((specifier) => SERVER_ONLY.test(specifier))
        .map((specifier) => `${file.path}: ${specifier}`),
    );
    expect(serverImports).toEqual([]);
  });

  it("lie outside src/server/ and src/env.ts, where the lint rule allows those imports", () => {
    const misplaced = files
      .map((file) => file.path)
      .filter((path) => path.startsWith("server/") || path === "env.ts");
    expect(misplaced).toEqual([]);
  });
});
