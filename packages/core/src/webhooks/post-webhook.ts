import type { LookupAddress } from "node:dns";
import { Agent, request } from "undici";
import { isDomainError } from "../errors/domain-error.ts";
import {
  type HostLookup,
  parseWebhookUrl,
  resolveWebhookHost,
  systemHostLookup,
  type WebhookAddressPolicy,
} from "./webhook-address-policy.ts";

/** How one HTTP attempt ended: the receiver's status, or our short reason why there was none. */
export interface WebhookPostOutcome {
  statusCode: number | null;
  /** short and ours (never the receiver's body): "HTTP 500", "timed out after 10 s", … */
  error: string | null;
  succeeded: boolean;
}

export interface WebhookPostOptions extends WebhookAddressPolicy {
  /** for the whole attempt: connection, headers and the part of the body that is read */
  timeoutMs: number;
  lookup?: HostLookup;
}

/** What is read of a receiver's answer before the connection is dropped: it is never stored. */
const RESPONSE_BYTES_READ = 4_096;

/**
 * POSTs one signed body. The host is resolved and every address checked first, and the socket
 * connects only to those checked addresses (undici's lookup is pinned to them), so a name that
 * resolves to a public address when checked and to 127.0.0.1 when connecting cannot reach
 * loopback. Redirects are not followed (a 3xx is a failure): a receiver could otherwise send the
 * request anywhere.
 */
export async function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: WebhookPostOptions,
): Promise<WebhookPostOutcome> {
  let addresses: LookupAddress[];
  let url: URL;
  try {
    url = parseWebhookUrl(target, options);
    addresses = await resolveWebhookHost(url, options, options.lookup ?? systemHostLookup);
  } catch (error) {
    if (isDomainError(error))
      return { statusCode: null, error: error.message.slice(0, 200), succeeded: false };
    throw error;
  }
  const dispatcher = new Agent({
    connect: { timeout: options.timeoutMs, lookup: pinnedLookup(addresses) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    // one request per agent: nothing to keep alive
    pipelining: 0,
  });
  try {
    const response = await request(url, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/json", "user-agent": "dsc-webhooks/1", ...headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.body.dump({ limit: RESPONSE_BYTES_READ }).catch(() => undefined);
    const succeeded = response.statusCode >= 200 && response.statusCode < 300;
    return {
      statusCode: response.statusCode,
      error: succeeded ? null : `HTTP ${response.statusCode}`,
      succeeded,
    };
  } catch (error) {
    return { statusCode: null, error: describeFailure(error, options.timeoutMs), succeeded: false };
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A resolver that answers only with the addresses already checked. */
function pinnedLookup(addresses: LookupAddress[]) {
  return (
    _hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: LookupCallback,
  ) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = wanted === 0 ? addresses : addresses.filter((entry) => entry.family === wanted);
    if (usable.length === 0) {
      callback(Object.assign(new Error("no checked address of that family"), { code: "ENOTFOUND" }), []);
      return;
    }
    if (options.all) callback(null, usable);
    else callback(null, (usable[0] as LookupAddress).address, (usable[0] as LookupAddress).family);
  };
}

/** A short reason in our words; a receiver's error text never reaches the dashboard. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string })?.name;
  const code = (error as { code?: string })?.code;
  if (name === "TimeoutError" || name === "AbortError" || (code ?? "").includes("TIMEOUT")) {
    return `timed out after ${Math.round(timeoutMs / 1000)} s`;
  }
  if (typeof code === "string" && /^[A-Z_]{2,40}$/.test(code)) return `connection failed (${code})`;
  return "connection failed";
}
