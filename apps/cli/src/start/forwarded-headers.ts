import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { believeTrustedProxiesOnly, parseTrustedProxies, trustedProxyCheck } from "@dsc/core/proxies";

/*
 * Preloaded (`node --import`) into the dashboard. Next.js believes any X-Forwarded-For a client
 * sends (it fills the header in only when it is missing), and the dashboard's per-address
 * sign-in limits and audit records read it: without this, a client could name a new address
 * for every password guess. Before Next.js sees a request, its forwarding headers are kept only
 * when the peer is a proxy named in TRUST_PROXY (read as the gateway reads it).
 */
const isTrusted = trustedProxyCheck(parseTrustedProxies(process.env.TRUST_PROXY));

// published by Node's HTTP server for each request, synchronously, before its 'request' event
subscribe("http.server.request.start", (message) => {
  const { request, socket } = message as { request: IncomingMessage; socket: Socket };
  believeTrustedProxiesOnly(request.headers, socket.remoteAddress ?? "", isTrusted);
});
