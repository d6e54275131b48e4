/**
 * Messages between the server processes that share one PostgreSQL database (`npm start` runs one
 * per core), carried by LISTEN/NOTIFY: realtime events published in the process that runs a job
 * reach the SSE subscribers of every other process, and a new scores generation invalidates every
 * process's caches at once instead of after their TTL.
 *
 * One dedicated connection listens (postgres.js opens it for `listen`); notifications go out on a
 * one-connection pool so one process's messages arrive in the order it sent them. A process
 * ignores its own messages: it has already delivered them locally, without the round trip.
 *
 * PGlite is one process by construction and has no bus; neither has Lambda (Pusher carries
 * realtime there and caches bound their age with their TTL).
 */
import { randomUUID } from "node:crypto";
import { isOnLambda, serverEnv, usesPusher } from "../env";
import { processWide } from "../process-wide";

export const BUS_CHANNEL = "churnguard_bus";
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; the envelope needs some room. */
export const MAX_BUS_PAYLOAD_BYTES = 7_800;

type Handler = (data: unknown) => void;

interface Envelope {
  origin: string;
  topic: string;
  data: unknown;
}

// Structural: the bus needs only these of postgres.js, so tests can count what it sent.
interface BusConnection {
  listen(
    channel: string,
    onNotify: (payload: string) => void,
  ): Promise<{ unlisten(): Promise<void> } & Record<string, unknown>>;
  notify(channel: string, payload: string): PromiseLike<unknown>;
  end(options?: { timeout?: number }): Promise<void>;
}

export class PgBus {
  readonly origin = randomUUID();
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly ready: Promise<void>;

  constructor(
    private readonly sql: BusConnection,
    private readonly channel = BUS_CHANNEL,
  ) {
    this.ready = sql.listen(channel, (payload) => this.receive(payload)).then(() => undefined);
    // A failed LISTEN (database away at start) is reported once; sends still work when it returns.
    this.ready.catch((error) => console.warn(`[churnguard:bus] LISTEN ${channel} failed`, error));
  }

  /** Resolves once this process receives the other processes' messages. */
  listening(): Promise<void> {
    return this.ready;
  }

  /** Calls `handler` with the data of every message on `topic` sent by another process. */
  on(topic: string, handler: Handler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return () => void set.delete(handler);
  }

  /**
   * Best effort, like realtime publishing: a message too large for NOTIFY or a database hiccup is
   * logged, never thrown (what it announces is already in the database). Resolves when sent.
   */
  send(topic: string, data: unknown): Promise<void> {
    const payload = JSON.stringify({ origin: this.origin, topic, data } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_BUS_PAYLOAD_BYTES) {
      console.warn(`[churnguard:bus] a ${topic} message of ${payload.length} bytes is too large for NOTIFY`);
      return Promise.resolve();
    }
    return Promise.resolve(this.sql.notify(this.channel, payload)).then(
      () => undefined,
      (error) => console.warn(`[churnguard:bus] NOTIFY ${topic} failed`, error),
    );
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  private receive(payload: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === this.origin) return;
    for (const handler of [...(this.handlers.get(envelope.topic) ?? [])]) {
      try {
        handler(envelope.data);
      } catch (error) {
        console.error(`[churnguard:bus] a ${envelope.topic} handler failed`, error);
      }
    }
  }
}

/** A bus on its own connections to `url` (the process's bus, and tests that play two processes). */
export async function openPgBus(url: string, channel = BUS_CHANNEL): Promise<PgBus> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 0 });
  return new PgBus(sql as unknown as BusConnection, channel);
}

interface BusHolder {
  bus: PgBus | null;
  opening: Promise<PgBus | null> | null;
  disabled: boolean;
}

const holder = processWide("pgBus", (): BusHolder => ({ bus: null, opening: null, disabled: false }));

/** Set by the server (scripts/serve.mjs, `npm start`): this process serves pages and joins the bus. */
export const PROCESS_BUS_FLAG = "CHURNGUARD_PROCESS_BUS";

/**
 * Whether this process should join the bus: a server process (the flag above; scripts such as
 * `npm run seed` must not, a LISTEN connection would keep them from exiting, and test files make
 * their own buses) on PostgreSQL, not on Lambda.
 */
function wantsBus(): string | null {
  if (holder.disabled || isOnLambda() || process.env[PROCESS_BUS_FLAG] !== "1") return null;
  return serverEnv().DATABASE_URL ?? null;
}

/**
 * The process's bus, or null without one. Synchronous so hot paths (every cache read) can call
 * it: the first call starts connecting and returns null until connected.
 */
export function processBus(): PgBus | null {
  if (holder.bus || holder.opening) return holder.bus;
  const url = wantsBus();
  if (!url) return null;
  holder.opening = openPgBus(url).then(
    (bus) => {
      holder.bus = bus;
      for (const install of installers()) install(bus);
      return bus;
    },
    (error) => {
      console.warn("[churnguard:bus] cross-process messages are off:", error);
      holder.disabled = true;
      return null;
    },
  );
  return null;
}

/** Resolves with the process's bus once connected (null without one). */
export async function processBusReady(): Promise<PgBus | null> {
  processBus();
  const bus = await holder.opening;
  await bus?.listening().catch(() => {});
  return bus;
}

/**
 * Registers what a module wants wired on the process's bus whenever it exists (receivers of a
 * topic); runs at once if the bus is already connected. Idempotent per `name`.
 */
export function onProcessBus(name: string, install: (bus: PgBus) => void): void {
  const registry = processWide("pgBus.installers", () => new Map<string, (bus: PgBus) => void>());
  if (registry.has(name)) return;
  registry.set(name, install);
  if (holder.bus) install(holder.bus);
}

function installers(): Iterable<(bus: PgBus) => void> {
  return processWide("pgBus.installers", () => new Map<string, (bus: PgBus) => void>()).values();
}

/** Test seam: use `bus` as this process's bus (null: none), running the registered installers. */
export function setProcessBus(bus: PgBus | null): void {
  holder.bus = bus;
  holder.opening = bus ? Promise.resolve(bus) : null;
  holder.disabled = false;
  if (bus) for (const install of installers()) install(bus);
}

/** Whether Server-Sent Events need the bus (with Pusher, realtime does not). */
export function busCarriesRealtime(): boolean {
  return !usesPusher();
}
