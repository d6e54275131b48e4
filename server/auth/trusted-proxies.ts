/**
 * AUTH_TRUSTED_PROXIES: which proxies in front of the app may say who the client is through
 * `X-Forwarded-For`. Either a hop count (`1`: one proxy, such as nginx or a load balancer, always
 * sits in front) or a comma-separated list of addresses and CIDR ranges, with the shorthands
 * `loopback` and `private` (RFC 1918, unique-local and link-local ranges). The same choices as
 * Express's "trust proxy", for the same reason: only the entries that trusted proxies appended
 * are facts; everything to their left is whatever the client wrote.
 */
import { BlockList, isIP } from "node:net";
import { normaliseAddress } from "./peer-address";

export type TrustedProxies =
  | { kind: "hops"; hops: number }
  | { kind: "list"; isTrusted: (ip: string) => boolean };

const SHORTHANDS: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10"],
};

/** Parses the setting; throws with a message naming the entry that is not an address or range. */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies | null {
  const value = raw?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops === 0 ? null : { kind: "hops", hops };
  }
  const list = new BlockList();
  for (const entry of value
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)) {
    for (const item of SHORTHANDS[entry] ?? [entry]) {
      const [address, prefixText, extra] = item.split("/");
      const family = isIP(address);
      const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
      const maxPrefix = family === 6 ? 128 : 32;
      if (
        family === 0 ||
        extra !== undefined ||
        !Number.isInteger(prefix) ||
        prefix < 0 ||
        prefix > maxPrefix
      ) {
        throw new Error(`"${entry}" is not an IP address, a CIDR range, "loopback" or "private"`);
      }
      list.addSubnet(address, prefix, family === 6 ? "ipv6" : "ipv4");
    }
  }
  return {
    kind: "list",
    isTrusted: (ip) => {
      const family = isIP(ip);
      return family !== 0 && list.check(ip, family === 6 ? "ipv6" : "ipv4");
    },
  };
}

/** The `X-Forwarded-For` entries, left (claimed client) to right (nearest proxy). */
export function forwardedChain(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((entry) => normaliseAddress(entry))
    .filter((entry): entry is string => entry !== null);
}

/**
 * The client: walk from the nearest hop leftwards past every trusted proxy. `peer` is the socket
 * address when known; without it the nearest proxy is taken on trust to be the one connected.
 */
export function clientFromChain(
  chain: string[],
  peer: string | null,
  trusted: TrustedProxies,
): string | null {
  const hops = peer ? [...chain, peer] : [...chain];
  if (hops.length === 0) return null;
  if (trusted.kind === "hops") {
    // With a peer, the peer is the first proxy; without one, the last entry was written by it.
    const skip = peer ? trusted.hops : trusted.hops - 1;
    return hops[Math.max(0, hops.length - 1 - skip)];
  }
  let index = hops.length - 1;
  while (index > 0 && trusted.isTrusted(hops[index])) index -= 1;
  return hops[index];
}
