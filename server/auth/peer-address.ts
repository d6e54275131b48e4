/**
 * The TCP peer's address, carried from the Node HTTP server to route handlers. Next.js gives a
 * route handler no socket, and its own `x-forwarded-for` is the client's header when the client
 * sent one (it only fills it in when missing), so that header cannot tell who connected.
 *
 * Whoever owns the `http.Server` writes `x-churnguard-peer: <token> <address>` on every request,
 * replacing any copy the client sent. The token is random per process and lives on globalThis, so
 * a client cannot forge the header: one without the right token is ignored.
 *  - `npm start` (scripts/serve.mjs) stamps requests itself, before Next.js sees them.
 *  - `next start`: instrumentation calls installPeerAddressStamping(), which wraps the
 *    `request` event of every `http.Server` in the process (Next.js's own server included).
 *  - Lambda has no socket worth reading: request-ip.ts uses CloudFront's header there.
 */
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage } from "node:http";

export const PEER_ADDRESS_HEADER = "x-churnguard-peer";
/** Shared with scripts/serve.mjs, which is plain JavaScript outside the Next.js bundles. */
const TOKEN_KEY = Symbol.for("churnguard.peerAddressToken");

type Stamped = { [TOKEN_KEY]?: string };

function processToken(): string | undefined {
  return (globalThis as Stamped)[TOKEN_KEY];
}

export function stampPeerAddress(request: IncomingMessage, token: string): void {
  request.headers[PEER_ADDRESS_HEADER] = `${token} ${request.socket?.remoteAddress ?? ""}`;
}

/** For `next start`; a no-op when scripts/serve.mjs already stamps every request. */
export function installPeerAddressStamping(): void {
  const store = globalThis as Stamped;
  if (store[TOKEN_KEY]) return;
  const token = randomBytes(16).toString("hex");
  store[TOKEN_KEY] = token;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithPeerAddress(
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ): boolean {
    if (event === "request") stampPeerAddress(args[0] as IncomingMessage, token);
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  };
}

/** The stamped peer address, or null when no server stamped it (or a client tried to). */
export function peerAddressFrom(headers: Headers, token: string | undefined = processToken()): string | null {
  const value = headers.get(PEER_ADDRESS_HEADER);
  if (!token || !value) return null;
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space) !== token) return null;
  return normaliseAddress(value.slice(space + 1));
}

/** `::ffff:203.0.113.7` (an IPv4 client on a dual-stack socket) is `203.0.113.7`. */
export function normaliseAddress(raw: string): string | null {
  const address = raw.trim().toLowerCase();
  if (!address) return null;
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  return mapped ? mapped[1] : address;
}
