import { createHash, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One message the inbox took, with the parts tests look at decoded. */
export interface ReceivedMail {
  /** the message as it arrived (headers and MIME body), read as UTF-8 */
  raw: string;
  envelope: { from: string | null; to: string[] };
  /** who signed in to send it; null without authentication */
  user: string | null;
  /** first value of each header, lower-case names, folded lines joined, encoded words decoded */
  headers: Record<string, string>;
  from: string;
  to: string;
  subject: string;
  /** the text/plain part (empty when there is none) */
  text: string;
  /** the text/html part (empty when there is none) */
  html: string;
}

export interface SmtpInboxOptions {
  /** when given, sending requires signing in with exactly these; other credentials are refused */
  auth?: { user: string; password: string };
  /** 0 (default): any free port */
  port?: number;
}

export interface SmtpInbox {
  host: string;
  port: number;
  /** `smtp://[user:password@]127.0.0.1:PORT`, for SMTP_URL */
  url: string;
  messages: ReceivedMail[];
  /** how many sign-ins were refused */
  refusedSignIns: number;
  /** the first message (already received or still to come) that matches; rejects after timeoutMs */
  waitForMessage(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * An SMTP server in this process on 127.0.0.1, keeping what it receives: the real protocol end
 * to end (nodemailer, sign-in, MIME), without a mail server on the machine. Plain connections only.
 */
export async function startSmtpInbox(options: SmtpInboxOptions = {}): Promise<SmtpInbox> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{
    predicate: (mail: ReceivedMail) => boolean;
    settle: (mail: ReceivedMail) => void;
  }>();
  const auth = options.auth;
  const inbox = { refusedSignIns: 0 };

  const server = new SMTPServer({
    secure: false,
    logger: false,
    banner: "test inbox",
    size: MAX_MESSAGE_BYTES,
    authOptional: !auth,
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    disabledCommands: auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    onAuth(attempt, _session, callback) {
      if (
        auth &&
        sameText(attempt.username ?? "", auth.user) &&
        sameText(attempt.password ?? "", auth.password)
      ) {
        callback(null, { user: attempt.username });
        return;
      }
      inbox.refusedSignIns += 1;
      callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error("Message too large"), { responseCode: 552 }));
          return;
        }
        const mail = parseMail(Buffer.concat(chunks), {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
        });
        mail.user = typeof session.user === "string" ? session.user : null;
        messages.push(mail);
        for (const waiter of waiters) {
          if (waiter.predicate(mail)) waiter.settle(mail);
        }
        callback();
      });
    },
  });
  server.on("error", () => {
    // a client dropping its connection is an error event here; the test sees it from the client
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : "";

  return {
    host: "127.0.0.1",
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    get refusedSignIns() {
      return inbox.refusedSignIns;
    },
    waitForMessage(predicate = () => true, timeoutMs = 5_000) {
      const received = messages.find(predicate);
      if (received) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          settle: (mail: ReceivedMail) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const subjects = messages.map((mail) => `"${mail.subject}" to ${mail.to}`).join(", ") || "none";
          reject(new Error(`no matching e-mail within ${timeoutMs} ms (received: ${subjects})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The http(s) addresses in a message's text part, in order, without repeats. */
export function linksIn(mail: Pick<ReceivedMail, "text">): string[] {
  const links = (mail.text.match(/https?:\/\/[^\s<>"']+/g) ?? []).map((link) =>
    link.replace(/[.,;:!?)\]]+$/, ""),
  );
  return [...new Set(links)];
}

function sameText(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

// A small MIME reader, enough for what nodemailer writes (multipart, quoted-printable, base64,
// encoded words in headers): test support only, not a general parser.

interface MimeEntity {
  headers: Record<string, string>;
  /** the body as bytes, one latin1 character per byte */
  body: string;
}

function parseMail(bytes: Buffer, envelope: ReceivedMail["envelope"]): ReceivedMail {
  const entity = splitEntity(bytes.toString("latin1"));
  const parts = { text: "", html: "" };
  collectTextParts(entity, parts);
  return {
    raw: bytes.toString("utf8"),
    envelope,
    user: null,
    headers: entity.headers,
    from: entity.headers.from ?? "",
    to: entity.headers.to ?? "",
    subject: entity.headers.subject ?? "",
    ...parts,
  };
}

function splitEntity(source: string): MimeEntity {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match ? source.slice(0, match.index) : source;
  const body = match ? source.slice(match.index + match[0].length) : "";
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= decodeEncodedWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function collectTextParts(entity: MimeEntity, parts: { text: string; html: string }): void {
  const contentType = (entity.headers["content-type"] ?? "text/plain").toLowerCase();
  if (contentType.startsWith("multipart/")) {
    const boundary = /boundary="?([^";]+)"?/i.exec(entity.headers["content-type"] ?? "")?.[1];
    if (!boundary) return;
    const sections = entity.body.split(`--${boundary}`);
    // the first section is the preamble, the last begins with "--" (the epilogue)
    for (const section of sections.slice(1)) {
      if (section.startsWith("--")) break;
      collectTextParts(splitEntity(section.replace(/^\r?\n/, "")), parts);
    }
    return;
  }
  // the line break before the next boundary belongs to the boundary
  const text = decodeBody(
    entity.body.replace(/\r?\n$/, ""),
    entity.headers["content-transfer-encoding"] ?? "7bit",
  ).replace(/\r\n/g, "\n");
  if (contentType.startsWith("text/plain") && !parts.text) parts.text = text;
  if (contentType.startsWith("text/html") && !parts.html) parts.html = text;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, "latin1").toString("utf8");
  }
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/[ \t]+(\r?\n)/g, "$1")
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** RFC 2047: `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=`, the space between two of them dropped. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=[ \t]+=\?/g, "?==?")
    .replace(/=\?[^?\s]+\?([BbQq])\?([^?\s]*)\?=/g, (_, kind: string, payload: string) => {
      if (kind.toUpperCase() === "B") return Buffer.from(payload, "base64").toString("utf8");
      const bytes = payload
        .replace(/_/g, " ")
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    });
}
