/**
 * SSRF guard for the per-dataset failure webhook. The URL is typed by a manager but called by the
 * server, so without a guard it could reach what only the server can: the cloud metadata service
 * (169.254.169.254 hands out the instance's credentials), the database, internal admin ports.
 *
 * Two checks, because a name can change what it points at between them (DNS rebinding):
 * - on save, the URL itself: http(s) only, https in production, no literal private address and no
 *   `localhost` name (`webhookUrlProblem`, used by the schedule's zod schema);
 * - at send time, every address the name resolves to, inside the connection's own `lookup`
 *   (`guardedLookup`), so the address checked is the address connected to. Redirects are never
 *   followed (a 3xx is a failed delivery), so a public receiver cannot bounce us inward.
 *
 * CHURNGUARD_WEBHOOK_ALLOW_PRIVATE=1 lifts both (http and private addresses) for local use and tests.
 */
import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { NonRetriableError } from "../../durable/contract";
import { serverEnv } from "../../env";

export interface WebhookPolicy {
  /** Private, loopback and link-local targets (and plain http) are accepted. */
  allowPrivate: boolean;
  /** Plain http is refused (production, unless allowPrivate). */
  requireHttps: boolean;
}

export function webhookPolicy(): WebhookPolicy {
  const env = serverEnv();
  const allowPrivate = env.CHURNGUARD_WEBHOOK_ALLOW_PRIVATE;
  return { allowPrivate, requireHttps: env.NODE_ENV === "production" && !allowPrivate };
}

type Family = "ipv4" | "ipv6";
/** [what the address is, in words; its ranges]. Node's BlockList also matches IPv4-mapped IPv6. */
const RANGES: Array<[string, Array<[string, number, Family]>]> = [
  [
    "a loopback address",
    [
      ["127.0.0.0", 8, "ipv4"],
      ["::1", 128, "ipv6"],
    ],
  ],
  [
    "a link-local address (where cloud metadata services answer)",
    [
      ["169.254.0.0", 16, "ipv4"],
      ["fe80::", 10, "ipv6"],
    ],
  ],
  [
    "a private network address",
    [
      ["10.0.0.0", 8, "ipv4"],
      ["172.16.0.0", 12, "ipv4"],
      ["192.168.0.0", 16, "ipv4"],
      ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT
      ["fc00::", 7, "ipv6"], // unique local
      ["fec0::", 10, "ipv6"], // site-local (deprecated, still routed inward by some stacks)
    ],
  ],
  [
    "a reserved address",
    [
      ["0.0.0.0", 8, "ipv4"], // "this host": 0.0.0.0 reaches the local machine on Linux
      ["192.0.0.0", 24, "ipv4"],
      ["192.0.2.0", 24, "ipv4"],
      ["198.18.0.0", 15, "ipv4"],
      ["198.51.100.0", 24, "ipv4"],
      ["203.0.113.0", 24, "ipv4"],
      ["224.0.0.0", 4, "ipv4"], // multicast
      ["240.0.0.0", 4, "ipv4"], // reserved, and the broadcast address
      ["::", 128, "ipv6"],
      ["::", 96, "ipv6"], // IPv4-compatible (deprecated)
      ["64:ff9b::", 96, "ipv6"], // NAT64: would reach the IPv4 address it embeds
      ["2002::", 16, "ipv6"], // 6to4: ditto
      ["100::", 64, "ipv6"],
      ["2001:db8::", 32, "ipv6"],
      ["ff00::", 8, "ipv6"], // multicast
    ],
  ],
];

const BLOCK_LISTS = RANGES.map(([label, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return [label, list] as const;
});

/** What kind of non-public address `ip` is ("a loopback address"…), or null for a public one. */
export function privateAddressKind(ip: string): string | null {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const version = isIP(bare);
  if (version === 0) return "not an IP address";
  const family: Family = version === 4 ? "ipv4" : "ipv6";
  for (const [label, list] of BLOCK_LISTS) if (list.check(bare, family)) return label;
  return null;
}

const LOCAL_NAMES = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$/i;

/**
 * Why a webhook URL may not be saved (a sentence for the form), or null when it may. Names are
 * resolved only at send time; this refuses what is visibly internal. The WHATWG parser has already
 * turned 2130706433 or 0x7f.1 into 127.0.0.1, so those are caught as the literal they are.
 */
export function webhookUrlProblem(raw: string, policy: WebhookPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL such as https://hooks.example.com/churnguard";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `The webhook must be an https URL (${url.protocol.replace(":", "")} is not allowed)`;
  }
  if (url.username || url.password) {
    return "Put no user name or password in the webhook URL: requests are signed with the secret instead";
  }
  if (!policy.allowPrivate) {
    const host = url.hostname.replace(/\.$/, "");
    if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) {
      const kind = privateAddressKind(host);
      if (kind) {
        return `The webhook cannot point at ${host}: it is ${kind}, reachable only from inside the network`;
      }
    } else if (LOCAL_NAMES.test(host) || !host.includes(".")) {
      return `The webhook cannot point at ${host}: it names a machine on the local network; use a public host name`;
    }
  }
  if (url.protocol === "http:" && policy.requireHttps) {
    return "The webhook must use https (plain http is refused in production)";
  }
  return null;
}

/** Not retried (a NonRetriableError): a retry cannot make a refused target acceptable. */
export class WebhookTargetError extends NonRetriableError {
  constructor(message: string) {
    super(message);
    this.name = "WebhookTargetError";
  }
}

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;
export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for http(s).request that resolves the name, refuses it when ANY of its addresses is
 * not public (a name answering both a public and a private address is a rebinding set-up), and
 * hands the checked addresses to the socket, so no second resolution can differ.
 */
export function guardedLookup(resolve: Resolve, policy: WebhookPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw new WebhookTargetError(`${hostname} has no address`);
        if (!policy.allowPrivate) {
          for (const { address } of addresses) {
            const kind = privateAddressKind(address);
            if (kind) {
              throw new WebhookTargetError(
                `Refused to call the webhook: ${hostname} resolves to ${address}, ${kind}`,
              );
            }
          }
        }
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses;
        if (wanted.length === 0)
          throw new WebhookTargetError(`${hostname} has no IPv${options.family} address`);
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, "", 0));
  };
}
