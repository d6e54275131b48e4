#!/usr/bin/env node
/**
 * A Pusher-protocol server for the production-shape journey (e2e/production-shape.spec.ts): the
 * app's `pusher` client publishes over Pusher's HTTP API (signed; a bad signature is a 401, like
 * Pusher's) and the browser's `pusher-js` connects over Pusher's websocket protocol (version 7):
 * connection_established with a socket id, private-channel subscriptions whose `auth` must be
 * HMAC-SHA256(secret, "<socket_id>:<channel>") (a forged one gets subscription_error), ping/pong,
 * and every published event delivered to the channel's subscribers.
 * `GET /_fake/stats` reports what was published and delivered, for the journey's assertions.
 *
 *   PUSHER_APP_ID=… PUSHER_KEY=… PUSHER_SECRET=… node scripts/e2e/fake-pusher.mjs 3615
 */
import { createHash, createHmac, randomInt } from "node:crypto";
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const port = Number(process.argv[2] ?? 3615);
const appId = process.env.PUSHER_APP_ID ?? "";
const key = process.env.PUSHER_KEY ?? "";
const secret = process.env.PUSHER_SECRET ?? "";
if (!appId || !key || !secret) {
  console.error("fake-pusher: set PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET");
  process.exit(2);
}
const log = (...args) => console.log("[fake-pusher]", ...args);
const hmac = (text) => createHmac("sha256", secret).update(text).digest("hex");

/** @type {Map<string, Set<import("ws").WebSocket>>} */
const subscribers = new Map();
const stats = {
  published: [],
  delivered: 0,
  subscriptions: [],
  refusedSubscriptions: 0,
  refusedPublishes: 0,
};

function publish(channel, name, data) {
  stats.published.push({ channel, name, at: Date.now() });
  const message = JSON.stringify({ event: name, channel, data });
  for (const socket of subscribers.get(channel) ?? []) {
    socket.send(message);
    stats.delivered++;
  }
}

/** Pusher's HTTP API signature: HMAC of "METHOD\nPATH\nsorted query without auth_signature". */
function verifyRequest(method, url, body) {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== "auth_signature");
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.map(([k, v]) => `${k}=${v}`).join("&");
  if (url.searchParams.get("auth_key") !== key) return false;
  if (body.length > 0 && url.searchParams.get("body_md5") !== createHash("md5").update(body).digest("hex")) {
    return false;
  }
  const age = Math.abs(Date.now() / 1000 - Number(url.searchParams.get("auth_timestamp")));
  if (!(age < 600)) return false;
  return url.searchParams.get("auth_signature") === hmac(`${method}\n${url.pathname}\n${query}`);
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", "http://pusher");
  const parts = [];
  for await (const chunk of request) parts.push(chunk);
  const body = Buffer.concat(parts);
  const reply = (status, json) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(json));
  };
  if (request.method === "GET" && url.pathname === "/_fake/stats") return reply(200, stats);
  if (request.method === "POST" && url.pathname === `/apps/${appId}/events`) {
    if (!verifyRequest("POST", url, body)) {
      stats.refusedPublishes++;
      return reply(401, { error: "Invalid signature" });
    }
    const event = JSON.parse(body.toString("utf8"));
    for (const channel of event.channels ?? [event.channel]) publish(channel, event.name, event.data);
    return reply(200, {});
  }
  if (request.method === "POST" && url.pathname === `/apps/${appId}/batch_events`) {
    if (!verifyRequest("POST", url, body)) {
      stats.refusedPublishes++;
      return reply(401, { error: "Invalid signature" });
    }
    for (const event of JSON.parse(body.toString("utf8")).batch ?? []) {
      publish(event.channel, event.name, event.data);
    }
    return reply(200, { batch: [] });
  }
  reply(404, { error: `no route for ${request.method} ${url.pathname}` });
});

const sockets = new WebSocketServer({ server });
sockets.on("connection", (socket, request) => {
  const url = new URL(request.url ?? "/", "http://pusher");
  if (url.pathname !== `/app/${key}`) {
    socket.send(
      JSON.stringify({ event: "pusher:error", data: { code: 4001, message: "App key not found" } }),
    );
    socket.close(4001);
    return;
  }
  const socketId = `${randomInt(1, 1e9)}.${randomInt(1, 1e9)}`;
  const channels = new Set();
  const send = (event, data, channel) =>
    socket.send(JSON.stringify({ event, ...(channel ? { channel } : {}), data: JSON.stringify(data) }));
  send("pusher:connection_established", { socket_id: socketId, activity_timeout: 120 });
  socket.on("message", (raw) => {
    let message;
    try {
      message = JSON.parse(String(raw));
    } catch {
      return;
    }
    const data = typeof message.data === "string" ? safeParse(message.data) : (message.data ?? {});
    if (message.event === "pusher:ping") return send("pusher:pong", {});
    if (message.event === "pusher:subscribe") {
      const channel = String(data.channel ?? "");
      const expected = `${key}:${hmac(`${socketId}:${channel}`)}`;
      if (channel.startsWith("private-") && data.auth !== expected) {
        stats.refusedSubscriptions++;
        return send(
          "pusher:subscription_error",
          { type: "AuthError", error: "Invalid signature", status: 401 },
          channel,
        );
      }
      if (!subscribers.has(channel)) subscribers.set(channel, new Set());
      subscribers.get(channel).add(socket);
      channels.add(channel);
      stats.subscriptions.push({ channel, at: Date.now() });
      return send("pusher_internal:subscription_succeeded", {}, channel);
    }
    if (message.event === "pusher:unsubscribe") {
      const channel = String(data.channel ?? "");
      subscribers.get(channel)?.delete(socket);
      channels.delete(channel);
    }
  });
  socket.on("close", () => {
    for (const channel of channels) subscribers.get(channel)?.delete(socket);
  });
});

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

server.listen(port, "127.0.0.1", () => log(`listening on http://127.0.0.1:${port} (app ${appId})`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
