import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors/domain-error.ts";
import { QUICKSTART_PROMPT, type QuickstartExample, quickstartExamples } from "./quickstart-examples.ts";

const run = promisify(execFile);

const PLAIN = { baseUrl: "http://localhost:8080", apiKey: "sk-test-0123456789", model: "deepseek-chst-1.0" };
/** everything a shell, JavaScript or Python would read as code or escape, and text beyond the BMP */
const HOSTILE = {
  baseUrl: "https://gateway.example/it's/$(touch pwned)/`id`",
  apiKey: `sk-'quoted' "double" \\back\\slash $(touch pwned) \`touch pwned\` \${HOME} %s {x} \\n`,
  model: `it's "a" \\ $(touch pwned) \`id\` \${HOME} {name} é 😀 ''' """ \\u0041`,
};

function example(examples: QuickstartExample[], id: QuickstartExample["id"]): QuickstartExample {
  const found = examples.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no ${id} example`);
  return found;
}

/** The values a JavaScript snippet's string literals hold, read by a real parser. */
function javascriptLiterals(code: string): { properties: Map<string, string>; calls: string[] } {
  const { diagnostics } = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  expect(diagnostics?.map((diagnostic) => diagnostic.messageText)).toEqual([]);
  const source = ts.createSourceFile("example.mjs", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const properties = new Map<string, string>();
  const calls: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ts.isStringLiteral(node.initializer)) {
      properties.set(node.name.text, node.initializer.text);
    }
    if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0] as ts.Node)
    ) {
      calls.push((node.arguments[0] as ts.StringLiteral).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { properties, calls };
}

const hasPython = (() => {
  try {
    execFileSync("python3", ["-c", "pass"]);
    return true;
  } catch {
    return false;
  }
})();

describe("quickstartExamples", () => {
  it("gives curl, the openai SDKs for JavaScript and Python, and the Vercel AI SDK, each with the key filled in", () => {
    const examples = quickstartExamples(PLAIN);
    expect(examples.map((each) => each.id)).toEqual(["curl", "javascript", "python", "vercel-ai-sdk"]);
    expect(examples.map((each) => each.install)).toEqual([
      null,
      "npm install openai",
      "pip install openai",
      "npm install ai @ai-sdk/openai-compatible",
    ]);
    for (const each of examples) {
      expect(each.code).toContain(PLAIN.apiKey);
      expect(each.code).toContain("http://localhost:8080/v1");
      expect(each.code).toContain(PLAIN.model);
      expect(each.code).toContain(QUICKSTART_PROMPT);
      // the key is written in, and the example says where it belongs in production
      expect(each.code).toMatch(/In production, .*environment variable/);
    }
    expect(example(examples, "javascript").code).toContain('import OpenAI from "openai";');
    expect(example(examples, "python").code).toContain("from openai import OpenAI");
    expect(example(examples, "vercel-ai-sdk").code).toContain(
      'import { createOpenAICompatible } from "@ai-sdk/openai-compatible";',
    );
  });

  it("call the URL's /v1 whatever trailing slashes the URL has, in the URL's normal form", () => {
    for (const baseUrl of ["http://localhost:8080/", "http://localhost:8080//", "HTTP://LOCALHOST:8080"]) {
      const { properties } = javascriptLiterals(
        example(quickstartExamples({ ...PLAIN, baseUrl }), "javascript").code,
      );
      expect(properties.get("baseURL")).toBe("http://localhost:8080/v1");
    }
    const { properties } = javascriptLiterals(
      example(quickstartExamples({ ...PLAIN, baseUrl: "https://example.com/ai gateway/" }), "javascript")
        .code,
    );
    expect(properties.get("baseURL")).toBe("https://example.com/ai%20gateway/v1");
  });

  it("hand curl the URL, key and body unchanged, whatever they contain (run by bash)", async () => {
    const examples = quickstartExamples(HOSTILE);
    const folder = await mkdtemp(path.join(os.tmpdir(), "quickstart-curl-"));
    try {
      // a shell function in curl's place prints the words bash gave it, one per NUL
      const { stdout } = await run(
        "bash",
        ["-c", `curl() { printf '%s\\0' "$@"; }\n${example(examples, "curl").code}`],
        { cwd: folder },
      );
      const words = stdout.split("\0").slice(0, -1);
      const expectedUrl = new URL(HOSTILE.baseUrl).href;
      expect(words.slice(0, 6)).toEqual([
        `${expectedUrl}/v1/chat/completions`,
        "-H",
        "Content-Type: application/json",
        "-H",
        `Authorization: Bearer ${HOSTILE.apiKey}`,
        "-d",
      ]);
      expect(JSON.parse(words[6] as string)).toEqual({
        model: HOSTILE.model,
        messages: [{ role: "user", content: QUICKSTART_PROMPT }],
      });
      expect(words).toHaveLength(7);
      // nothing in a value ran
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("write the values as JavaScript string literals that parse back to them (openai and the AI SDK)", () => {
    const examples = quickstartExamples(HOSTILE);
    const expectedBase = `${new URL(HOSTILE.baseUrl).href}/v1`;
    const openai = javascriptLiterals(example(examples, "javascript").code);
    expect(openai.properties.get("baseURL")).toBe(expectedBase);
    expect(openai.properties.get("apiKey")).toBe(HOSTILE.apiKey);
    expect(openai.properties.get("model")).toBe(HOSTILE.model);

    const aiSdk = javascriptLiterals(example(examples, "vercel-ai-sdk").code);
    expect(aiSdk.properties.get("baseURL")).toBe(expectedBase);
    expect(aiSdk.properties.get("apiKey")).toBe(HOSTILE.apiKey);
    expect(aiSdk.calls).toContain(HOSTILE.model);
    expect(aiSdk.properties.get("prompt")).toBe(QUICKSTART_PROMPT);
  });

  it.skipIf(!hasPython)("write the values as Python string literals that parse back to them", async () => {
    const code = example(quickstartExamples(HOSTILE), "python").code;
    // Python's own parser reads the keyword arguments' values; nothing is run
    const reader = [
      "import ast, json, sys",
      "tree = ast.parse(sys.stdin.read())",
      "found = {k.arg: k.value.value for k in ast.walk(tree) if isinstance(k, ast.keyword) and isinstance(k.value, ast.Constant)}",
      "sys.stdout.write(json.dumps(found))",
    ].join("\n");
    const child = execFile("python3", ["-c", reader]);
    child.stdin?.end(code);
    let stdout = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    await new Promise((resolve) => child.on("close", resolve));
    expect(JSON.parse(stdout)).toEqual({
      base_url: `${new URL(HOSTILE.baseUrl).href}/v1`,
      api_key: HOSTILE.apiKey,
      model: HOSTILE.model,
    });
    // ASCII only, so no editor or encoding can change it
    expect(code).toMatch(/^[\x20-\x7e\n]*$/);
  });

  describe("refuse, with a sentence naming the field,", () => {
    const refusals: [string, keyof typeof PLAIN, string][] = [
      ["a newline", "apiKey", "sk-abc\ncurl evil"],
      ["a carriage return", "model", "model\r"],
      ["a NUL", "apiKey", "sk-\u0000"],
      ["a tab", "model", "a\tb"],
      ["DEL", "apiKey", "sk-\u007f"],
      ["a C1 control (NEL)", "model", "model\u0085"],
      ["a line separator", "apiKey", "sk-\u2028"],
      ["a paragraph separator", "model", "m\u2029"],
      ["a right-to-left override", "model", "model\u202e"],
      ["a bidirectional isolate", "apiKey", "sk-\u2066x\u2069"],
      ["half a surrogate pair", "model", "model\ud83d"],
      ["a trailing half of a surrogate pair", "apiKey", "sk-\ude00"],
      ["a newline in the URL", "baseUrl", "http://localhost:8080/\n"],
      ["an empty value", "apiKey", ""],
      ["an over-long key", "apiKey", "k".repeat(513)],
      ["an over-long model id", "model", "m".repeat(257)],
      ["an over-long URL", "baseUrl", `http://localhost/${"a".repeat(2_048)}`],
      ["a URL that is not one", "baseUrl", "localhost:8080 and more"],
      ["a URL of another scheme", "baseUrl", "javascript:alert(1)"],
      ["a file URL", "baseUrl", "file:///etc/passwd"],
      ["a URL with credentials", "baseUrl", "http://user:secret@localhost:8080"],
      ["a URL with a query", "baseUrl", "http://localhost:8080/?x=1"],
      ["a URL with an empty query", "baseUrl", "http://localhost:8080/?"],
      ["a URL with a fragment", "baseUrl", "http://localhost:8080/#top"],
    ];
    it.each(refusals)("%s (%s)", (_what, field, value) => {
      let refusal: unknown;
      try {
        quickstartExamples({ ...PLAIN, [field]: value });
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: "invalid", param: field });
      expect((refusal as Error).message).toMatch(/^The (API key|model id|gateway's URL) .+\.$/);
    });

    it("but accept the longest values allowed and text beyond ASCII", () => {
      const examples = quickstartExamples({
        baseUrl: `http://localhost/${"a".repeat(2_048 - 17)}`,
        apiKey: "k".repeat(512),
        model: "modèle-😀",
      });
      expect(examples).toHaveLength(4);
    });
  });
});
