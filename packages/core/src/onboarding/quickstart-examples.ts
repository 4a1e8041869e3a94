import { DomainError } from "../errors/domain-error.ts";

export type QuickstartExampleId = "curl" | "javascript" | "python" | "vercel-ai-sdk";

/** One copyable first call to the gateway, with the developer's key already in it. */
export interface QuickstartExample {
  id: QuickstartExampleId;
  label: string;
  /** for syntax highlighting */
  language: "bash" | "javascript" | "python";
  /** the file to save the code as, where it is a program rather than a command */
  filename?: string;
  /** what to install first; null when nothing is needed */
  install: string | null;
  code: string;
}

export interface QuickstartExampleInput {
  /** the gateway's public URL without `/v1`, e.g. `https://api.example.com` */
  baseUrl: string;
  /** the key's secret, shown once */
  apiKey: string;
  /** a model the key's organization may call */
  model: string;
}

export const QUICKSTART_PROMPT = "Say hello";

const MAX_BASE_URL_LENGTH = 2_048;
const MAX_API_KEY_LENGTH = 512;
const MAX_MODEL_LENGTH = 256;

/**
 * The getting-started examples: curl, the `openai` SDKs for JavaScript and Python, and the
 * Vercel AI SDK, each calling chat completions on `${baseUrl}/v1` with the real key filled in,
 * as the issue asks (a copied example works at once). Every value is written as a literal of
 * its language (a single-quoted shell word, a JSON string for JavaScript, an escaped Python
 * string), so no value, however odd, can run as code.
 */
export function quickstartExamples(input: QuickstartExampleInput): QuickstartExample[] {
  const apiBase = `${checkedBaseUrl(input.baseUrl)}/v1`;
  const apiKey = checkedValue(input.apiKey, "apiKey", "The API key", MAX_API_KEY_LENGTH);
  const model = checkedValue(input.model, "model", "The model id", MAX_MODEL_LENGTH);
  const values = { apiBase, apiKey, model };
  return [
    {
      id: "curl",
      label: "curl",
      language: "bash",
      install: null,
      code: curlExample(values),
    },
    {
      id: "javascript",
      label: "JavaScript (openai)",
      language: "javascript",
      filename: "quickstart.mjs",
      install: "npm install openai",
      code: javascriptExample(values),
    },
    {
      id: "python",
      label: "Python (openai)",
      language: "python",
      filename: "quickstart.py",
      install: "pip install openai",
      code: pythonExample(values),
    },
    {
      id: "vercel-ai-sdk",
      label: "Vercel AI SDK",
      language: "javascript",
      filename: "quickstart-ai-sdk.mjs",
      install: "npm install ai @ai-sdk/openai-compatible",
      code: vercelAiSdkExample(values),
    },
  ];
}

interface ExampleValues {
  apiBase: string;
  apiKey: string;
  model: string;
}

function curlExample({ apiBase, apiKey, model }: ExampleValues): string {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: QUICKSTART_PROMPT }] }, null, 2);
  return [
    '# In production, keep the key in an environment variable: -H "Authorization: Bearer $DSC_API_KEY"',
    `curl ${shellWord(`${apiBase}/chat/completions`)} \\`,
    `  -H ${shellWord("Content-Type: application/json")} \\`,
    `  -H ${shellWord(`Authorization: Bearer ${apiKey}`)} \\`,
    `  -d ${shellWord(body)}`,
    "",
  ].join("\n");
}

function javascriptExample({ apiBase, apiKey, model }: ExampleValues): string {
  return [
    'import OpenAI from "openai";',
    "",
    "const client = new OpenAI({",
    `  baseURL: ${jsString(apiBase)},`,
    "  // In production, read the key from an environment variable: process.env.DSC_API_KEY",
    `  apiKey: ${jsString(apiKey)},`,
    "});",
    "",
    "const completion = await client.chat.completions.create({",
    `  model: ${jsString(model)},`,
    `  messages: [{ role: "user", content: ${jsString(QUICKSTART_PROMPT)} }],`,
    "});",
    "",
    "console.log(completion.choices[0].message.content);",
    "",
  ].join("\n");
}

function pythonExample({ apiBase, apiKey, model }: ExampleValues): string {
  return [
    "from openai import OpenAI",
    "",
    "client = OpenAI(",
    `    base_url=${pythonString(apiBase)},`,
    '    # In production, read the key from an environment variable: os.environ["DSC_API_KEY"]',
    `    api_key=${pythonString(apiKey)},`,
    ")",
    "",
    "completion = client.chat.completions.create(",
    `    model=${pythonString(model)},`,
    `    messages=[{"role": "user", "content": ${pythonString(QUICKSTART_PROMPT)}}],`,
    ")",
    "",
    "print(completion.choices[0].message.content)",
    "",
  ].join("\n");
}

function vercelAiSdkExample({ apiBase, apiKey, model }: ExampleValues): string {
  return [
    'import { createOpenAICompatible } from "@ai-sdk/openai-compatible";',
    'import { generateText } from "ai";',
    "",
    "const gateway = createOpenAICompatible({",
    '  name: "gateway",',
    `  baseURL: ${jsString(apiBase)},`,
    "  // In production, read the key from an environment variable: process.env.DSC_API_KEY",
    `  apiKey: ${jsString(apiKey)},`,
    "});",
    "",
    "const { text } = await generateText({",
    `  model: gateway(${jsString(model)}),`,
    `  prompt: ${jsString(QUICKSTART_PROMPT)},`,
    "});",
    "",
    "console.log(text);",
    "",
  ].join("\n");
}

/** One shell word in single quotes, where nothing is special but the quote itself. */
function shellWord(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A JavaScript string literal: JSON's strings are JavaScript's (separators are refused above). */
function jsString(value: string): string {
  return JSON.stringify(value);
}

/**
 * A Python string literal in ASCII: backslash and quote escaped, anything beyond printable
 * ASCII as \\uXXXX or \\UXXXXXXXX of its code point (Python reads JSON's surrogate-pair
 * escapes as two characters, so json.dumps-style escaping is wrong beyond the BMP).
 */
function pythonString(value: string): string {
  let literal = '"';
  for (const character of value) {
    const code = character.codePointAt(0) as number;
    if (character === "\\" || character === '"') literal += `\\${character}`;
    else if (code >= 0x20 && code < 0x7f) literal += character;
    else if (code <= 0xffff) literal += `\\u${code.toString(16).padStart(4, "0")}`;
    else literal += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${literal}"`;
}

function checkedValue(value: string, param: string, name: string, maxLength: number): string {
  if (value.length === 0 || value.length > maxLength) {
    throw new DomainError("invalid", `${name} must be 1 to ${maxLength} characters long.`, param);
  }
  if (hasUnsafeCharacter(value)) {
    throw new DomainError(
      "invalid",
      `${name} contains a control or invisible formatting character, which an example cannot show safely.`,
      param,
    );
  }
  return value;
}

/**
 * Whether the text has a character no example may carry: C0 and C1 controls and DEL (a newline
 * would end a shell command or a Python string), line and paragraph separators, the
 * bidirectional controls that make code read differently from how it runs ("Trojan Source"),
 * or half a surrogate pair (no file encoding can hold it). No key, model id or URL of ours
 * contains them, so a value that does is refused rather than escaped.
 */
function hasUnsafeCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return true;
    if (unit === 0x2028 || unit === 0x2029 || unit === 0x200e || unit === 0x200f) return true;
    if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) return true;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      index++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/**
 * An http(s) URL with no credentials, query or fragment, in its normal form (a space becomes
 * %20, the host lower case) and without trailing slashes, so that `${baseUrl}/v1` is the API.
 */
function checkedBaseUrl(value: string): string {
  checkedValue(value, "baseUrl", "The gateway's URL", MAX_BASE_URL_LENGTH);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DomainError("invalid", "The gateway's URL is not a valid URL.", "baseUrl");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DomainError("invalid", "The gateway's URL must start with http:// or https://.", "baseUrl");
  }
  if (url.username !== "" || url.password !== "" || value.includes("?") || value.includes("#")) {
    throw new DomainError(
      "invalid",
      "The gateway's URL must have no user name, password, query or fragment.",
      "baseUrl",
    );
  }
  let baseUrl = url.href;
  while (baseUrl.endsWith("/")) baseUrl = baseUrl.slice(0, -1);
  return baseUrl;
}
