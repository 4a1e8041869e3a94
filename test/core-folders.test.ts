import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * packages/core is one folder per concern, and its folders form layers: a folder imports only
 * folders below it, never one that imports it back. A loop makes two concerns one in all but
 * name (neither can be read, tested or moved alone), so this builds the folder import graph
 * from the sources (tests excluded: a test may set up data through any folder) and fails on
 * any cycle, naming it. The README's table of folders is the map: it must name every folder,
 * and what a folder imports must be among what its row says it may import.
 */
const ROOT = join(import.meta.dirname, "..");
const CORE_SOURCE = join(ROOT, "packages/core/src");
const CORE_README = join(ROOT, "packages/core/README.md");

type FolderGraph = Map<string, Set<string>>;

function coreFolders(): string[] {
  return readdirSync(CORE_SOURCE, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function isSourceFile(path: string): boolean {
  return /\.(?:ts|mts|mjs|js)$/.test(path) && !/\.test\.[a-z]+$/.test(path) && !path.endsWith(".d.ts");
}

/** Module specifiers of static imports, re-exports and `import()` of literal strings. */
function specifiersOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteralLike(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function folderGraph(): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const folder of coreFolders()) {
    const imported = new Set<string>();
    const files = readdirSync(join(CORE_SOURCE, folder), { recursive: true, encoding: "utf8" }).filter(
      isSourceFile,
    );
    for (const file of files) {
      const path = join(CORE_SOURCE, folder, file);
      for (const specifier of specifiersOf(path)) {
        if (!specifier.startsWith(".")) continue;
        const target = relative(CORE_SOURCE, resolve(dirname(path), specifier)).split(sep);
        // a file at the root of src (index.ts) is not a folder of its own
        if (target.length < 2 || target[0] === ".." || target[0] === folder) continue;
        imported.add(target[0] as string);
      }
    }
    graph.set(folder, imported);
  }
  return graph;
}

/** The shortest path of imports from `from` back to `to`, or null. */
function shortestPath(graph: FolderGraph, from: string, to: string): string[] | null {
  const cameFrom = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const folder = queue.shift() as string;
    for (const next of graph.get(folder) ?? []) {
      if (next === to) {
        const path = [folder];
        while (cameFrom.has(path[0] as string)) path.unshift(cameFrom.get(path[0] as string) as string);
        return [...path, to];
      }
      if (seen.has(next)) continue;
      seen.add(next);
      cameFrom.set(next, folder);
      queue.push(next);
    }
  }
  return null;
}

/** Every folder's shortest loop back to itself, each loop named once ("a → b → a"). */
function cyclesOf(graph: FolderGraph): string[] {
  const cycles = new Set<string>();
  for (const folder of graph.keys()) {
    const path = shortestPath(graph, folder, folder);
    if (path === null) continue;
    // the same loop found from another of its folders starts at its smallest name
    const loop = path.slice(0, -1);
    const first = loop.indexOf([...loop].sort()[0] as string);
    const rotated = [...loop.slice(first), ...loop.slice(0, first)];
    cycles.add([...rotated, rotated[0]].join(" → "));
  }
  return [...cycles].sort();
}

interface ReadmeRow {
  folder: string;
  mayImport: Set<string>;
}

/** Rows of the README's folder table: | `name/` | what it holds | `a/`, `b/` (or "nothing") | */
function readmeRows(): ReadmeRow[] {
  const rows: ReadmeRow[] = [];
  for (const line of readFileSync(CORE_README, "utf8").split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const folder = /^`([a-z-]+)\/`$/.exec(cells[1] ?? "")?.[1];
    if (folder === undefined || cells.length < 5) continue;
    const mayImport = new Set(
      [...(cells[3] as string).matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1] as string),
    );
    rows.push({ folder, mayImport });
  }
  return rows;
}

describe("packages/core folders", () => {
  const graph = folderGraph();

  it("are read from the sources (the scan itself works)", () => {
    expect(graph.size).toBeGreaterThan(20);
    expect(graph.get("audit")).toContain("time");
    expect(
      cyclesOf(
        new Map([
          ["a", new Set(["b"])],
          ["b", new Set(["c"])],
          ["c", new Set(["a"])],
        ]),
      ),
    ).toEqual(["a → b → c → a"]);
  });

  it("import one another without loops", () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it("are each named once in the README's table", () => {
    const named = readmeRows().map((row) => row.folder);
    expect([...named].sort()).toEqual(coreFolders());
  });

  it("import only what their README row says they may", () => {
    const rows = new Map(readmeRows().map((row) => [row.folder, row.mayImport]));
    const beyond: string[] = [];
    for (const [folder, imported] of graph) {
      const allowed = rows.get(folder) ?? new Set();
      for (const target of imported) if (!allowed.has(target)) beyond.push(`${folder} → ${target}`);
    }
    expect(beyond).toEqual([]);
  });

  it("have a README whose 'may import' rows form no loop either", () => {
    expect(cyclesOf(new Map(readmeRows().map((row) => [row.folder, row.mayImport])))).toEqual([]);
  });
});
