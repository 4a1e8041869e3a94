import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { check } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Every regular expression of the code that reads request or response text must match in time
 * linear in its input (a backtracking pattern that is quadratic on a hostile prompt holds the
 * event loop for seconds). recheck finds such patterns by analysis and fuzzing; this runs it on
 * every regular expression literal, and every `new RegExp` of literal strings, in the sources
 * of the gateway, core and the API client, so a pattern added later is checked too.
 */
const ROOT = join(import.meta.dirname, "..");
const SOURCE_FOLDERS = ["apps/gateway/src", "packages/core/src", "packages/api-client/src"];

interface FoundPattern {
  where: string;
  source: string;
  flags: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith(".d.ts"))
    .map((path) => join(ROOT, folder, path))
    .sort();
}

function patternsIn(file: string): FoundPattern[] {
  const text = readFileSync(file, "utf8");
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: FoundPattern[] = [];
  const where = (node: ts.Node) => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    return `${relative(ROOT, file)}:${line + 1}`;
  };
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(sourceFile);
      const end = literal.lastIndexOf("/");
      found.push({ where: where(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "RegExp" &&
      node.arguments?.[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const flags = node.arguments[1];
      found.push({
        where: where(node),
        source: node.arguments[0].text,
        flags: flags !== undefined && ts.isStringLiteralLike(flags) ? flags.text : "",
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const PATTERNS: FoundPattern[] = [
  ...SOURCE_FOLDERS.flatMap(sourceFiles).flatMap(patternsIn),
  // not ours, but countTokens runs it over every prompt
  {
    where: "gpt-tokenizer O200K_TOKEN_SPLIT_REGEX",
    source: O200K_TOKEN_SPLIT_REGEX.source,
    flags: O200K_TOKEN_SPLIT_REGEX.flags,
  },
];

describe("regular expressions", () => {
  it("are found in the sources (the scan itself works)", () => {
    expect(PATTERNS.length).toBeGreaterThan(30);
    // the masker's patterns are among them
    expect(
      PATTERNS.some((pattern) => pattern.where.startsWith("packages/core/src/masking/pii-masking.ts")),
    ).toBe(true);
  });

  // recheck's native agent answers in milliseconds to seconds; its JavaScript build, where the
  // native one cannot run, takes longer. Its time limits are off: on a busy machine a linear
  // pattern could exceed one and be reported vulnerable; its limits on steps decide instead.
  for (const { where, source, flags } of PATTERNS) {
    it(`${where} /${source}/${flags} cannot backtrack catastrophically`, { timeout: 180_000 }, async () => {
      const diagnostics = await check(source, flags, {
        timeout: null,
        incubationTimeout: null,
        attackTimeout: null,
      });
      // the attack string or the reason when it is not safe, so that a failure says why
      const attack = diagnostics.status === "vulnerable" ? diagnostics.attack.pattern : undefined;
      const error = diagnostics.status === "unknown" ? diagnostics.error : undefined;
      expect({ status: diagnostics.status, attack, error }).toEqual({
        status: "safe",
        attack: undefined,
        error: undefined,
      });
    });
  }
});
