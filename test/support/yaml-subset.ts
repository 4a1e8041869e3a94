/**
 * A strict reader of the small part of YAML that docs/prometheus-alerts.yml is written in:
 * block mappings and sequences indented by spaces, plain scalars, single-quoted scalars (`''` is
 * a quote) and double-quoted ones (escapes `\"`, `\\`, `\/`, `\n`, `\t`). Anything else (flow
 * collections, block scalars, anchors, tags, other escapes, tabs, a plain scalar with `: ` or
 * ` #`) throws naming the line, so the file cannot drift into YAML this reader would misread. Used because no YAML library is installed; with
 * the `yaml` package this file can go.
 */
export function parseYamlSubset(text: string): unknown {
  const lines = logicalLines(text);
  let at = 0;

  function block(indent: number): unknown {
    const line = lines[at];
    if (!line || line.indent !== indent)
      throw new Error(`line ${line?.number ?? "end"}: expected indentation ${indent}`);
    return line.isItem ? sequence(indent) : mapping(indent);
  }

  function sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = lines[at]; line && line.indent === indent && line.isItem; line = lines[at]) {
      at++;
      items.push(block(indent + 2));
    }
    return items;
  }

  function mapping(indent: number): Record<string, unknown> {
    const entries: Record<string, unknown> = {};
    for (let line = lines[at]; line && line.indent === indent && !line.isItem; line = lines[at]) {
      at++;
      if (line.key in entries) throw new Error(`line ${line.number}: repeated key ${line.key}`);
      if (line.value !== null) {
        entries[line.key] = line.value;
        continue;
      }
      const next = lines[at];
      if (!next || next.indent < indent || (next.indent === indent && !next.isItem)) {
        throw new Error(`line ${line.number}: ${line.key} has no value`);
      }
      entries[line.key] = block(next.indent);
    }
    return entries;
  }

  const document = block(0);
  if (at < lines.length) throw new Error(`line ${lines[at]?.number}: unexpected indentation`);
  return document;
}

type LogicalLine =
  | { number: number; indent: number; isItem: true }
  | { number: number; indent: number; isItem: false; key: string; value: string | null };

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Each `- key: value` becomes an item marker and a `key: value` line two columns in. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  for (const [index, raw] of text.split("\n").entries()) {
    const number = index + 1;
    if (raw.includes("\t")) throw new Error(`line ${number}: tab`);
    const content = raw.trimStart();
    if (content === "" || content.startsWith("#")) continue;
    let indent = raw.length - content.length;
    let rest = content.trimEnd();
    while (rest.startsWith("- ")) {
      out.push({ number, indent, isItem: true });
      indent += 2;
      rest = rest.slice(2);
    }
    const colon = rest.indexOf(":");
    if (colon <= 0) throw new Error(`line ${number}: not a key: value line`);
    const key = rest.slice(0, colon);
    if (!KEY.test(key)) throw new Error(`line ${number}: bad key ${JSON.stringify(key)}`);
    const after = rest.slice(colon + 1);
    if (after !== "" && !after.startsWith(" ")) throw new Error(`line ${number}: no space after the colon`);
    out.push({
      number,
      indent,
      isItem: false,
      key,
      value: after === "" ? null : scalar(after.slice(1), number),
    });
  }
  return out;
}

/** YAML's escapes of a double-quoted scalar that the rules file may use */
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", n: "\n", t: "\t" };

function scalar(text: string, number: number): string {
  if (text.startsWith('"')) {
    let value = "";
    let at = 1;
    for (;;) {
      const char = text[at];
      if (char === undefined) throw new Error(`line ${number}: unterminated quote`);
      if (char === '"') break;
      if (char === "\\") {
        const escaped = ESCAPES[text[at + 1] ?? ""];
        if (escaped === undefined) throw new Error(`line ${number}: unsupported escape`);
        value += escaped;
        at += 2;
      } else {
        value += char;
        at++;
      }
    }
    if (at !== text.length - 1) throw new Error(`line ${number}: text after the closing quote`);
    return value;
  }
  if (text.startsWith("'")) {
    if (text.length < 2 || !text.endsWith("'")) throw new Error(`line ${number}: unterminated quote`);
    const inner = text.slice(1, -1);
    // every quote inside is doubled
    if (inner.replaceAll("''", "").includes("'")) throw new Error(`line ${number}: lone quote`);
    return inner.replaceAll("''", "'");
  }
  if (/^[[\]{}&*!|>%@`#,?-]/.test(text)) throw new Error(`line ${number}: unsupported scalar`);
  if (text.includes(": ") || text.includes(" #"))
    throw new Error(`line ${number}: plain scalar with ': ' or ' #'`);
  return text;
}
