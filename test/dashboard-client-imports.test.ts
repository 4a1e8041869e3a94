import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
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
/** core's entry points made for the browser (package.json "exports"), checked below to stay so */
const BROWSER_SAFE_CORE: Record<string, string> = {
  "@dsc/core/onboarding": join(import.meta.dirname, "../packages/core/src/onboarding/index.ts"),
};

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
        .filter((specifier) => SERVER_ONLY.test(specifier) && !(specifier in BROWSER_SAFE_CORE))
        .map((specifier) => `${file.path}: ${specifier}`),
    );
    expect(serverImports).toEqual([]);
  });

  it("reach only browser-safe code through core's browser entry points: its own files and types", () => {
    const reached = Object.values(BROWSER_SAFE_CORE).flatMap((entry) => valueImportsReachedFrom(entry));
    expect(reached.length).toBeGreaterThan(1); // the walk itself works
    const outside = reached.filter((path) => !path.startsWith(CORE_SOURCE) && !path.startsWith(VOCABULARY));
    expect(outside).toEqual([]);
  });

  it("lie outside src/server/ and src/env.ts, where the lint rule allows those imports", () => {
    const misplaced = files
      .map((file) => file.path)
      .filter((path) => path.startsWith("server/") || path === "env.ts");
    expect(misplaced).toEqual([]);
  });
});

const CORE_SOURCE = join(import.meta.dirname, "../packages/core/src/");
const VOCABULARY = "@dsc/vocabulary";

/**
 * Every module a file loads at run time, followed through relative imports: core's files by
 * path, packages by name (Node's built-ins, npm packages, @dsc/db would show up as such).
 * Type-only imports load nothing and are skipped.
 */
function valueImportsReachedFrom(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    if (!path.startsWith("/")) continue;
    const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      const isDeclaration = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement);
      if (!isDeclaration || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier))
        continue;
      if (isTypeOnly(statement)) continue;
      const specifier = statement.moduleSpecifier.text;
      pending.push(specifier.startsWith(".") ? join(dirname(path), specifier) : specifier);
    }
  }
  return [...seen];
}

function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) return statement.isTypeOnly;
  const clause = statement.importClause;
  if (!clause) return false; // a bare import runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}
