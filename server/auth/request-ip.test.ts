import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { resetServerEnvCache, serverEnv } from "../env";
import { installPeerAddressStamping, PEER_ADDRESS_HEADER } from "./peer-address";
import { clientAddress, requestIp } from "./request-ip";
import { parseTrustedProxies } from "./trusted-proxies";

const TOKEN = "t0ken";
const stamped = (address: string) => `${TOKEN} ${address}`;

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

describe("client address without trusted proxies", () => {
  const policy = { trustedProxies: null, onLambda: false };

  it("ignores a client-sent X-Forwarded-For and uses the socket address", () => {
    const h = headers({ "x-forwarded-for": "6.6.6.6", [PEER_ADDRESS_HEADER]: stamped("198.51.100.20") });
    expect(clientAddress(h, policy, null)).toBeNull();
    expect(clientAddress(h, policy, "198.51.100.20")).toBe("198.51.100.20");
  });

  it("ignores X-Forwarded-For and X-Real-IP when nothing stamped the request (the old code believed them)", () => {
    resetServerEnvCache();
    expect(requestIp(headers({ "x-forwarded-for": "6.6.6.6, 7.7.7.7", "x-real-ip": "8.8.8.8" }))).toBeNull();
  });

  it("refuses a peer header that does not carry this process's token", async () => {
    const { peerAddressFrom } = await import("./peer-address");
    const h = headers({ [PEER_ADDRESS_HEADER]: "guessed 6.6.6.6" });
    expect(peerAddressFrom(h, TOKEN)).toBeNull();
    expect(peerAddressFrom(headers({ [PEER_ADDRESS_HEADER]: stamped("::ffff:192.0.2.1") }), TOKEN)).toBe(
      "192.0.2.1",
    );
  });
});

describe("client address behind trusted proxies", () => {
  it("walks X-Forwarded-For back past proxies in a trusted range, not past the client's own entries", () => {
    const policy = { trustedProxies: parseTrustedProxies("10.0.0.0/8, loopback"), onLambda: false };
    const h = headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.1.2.3" });
    expect(clientAddress(h, policy, "127.0.0.1")).toBe("203.0.113.9");
  });

  it("believes nothing forwarded when the socket is not a trusted proxy", () => {
    const policy = { trustedProxies: parseTrustedProxies("10.0.0.0/8"), onLambda: false };
    const h = headers({ "x-forwarded-for": "6.6.6.6" });
    expect(clientAddress(h, policy, "198.51.100.30")).toBe("198.51.100.30");
  });

  it("takes the entry the nearest proxy wrote with a hop count", () => {
    const policy = { trustedProxies: parseTrustedProxies("1"), onLambda: false };
    const h = headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.10" });
    expect(clientAddress(h, policy, "10.0.0.2")).toBe("203.0.113.10");
    expect(clientAddress(h, policy, null)).toBe("203.0.113.10");
    expect(clientAddress(headers({}), policy, "203.0.113.11")).toBe("203.0.113.11");
  });

  it("accepts IPv6 ranges and refuses entries that are not addresses", () => {
    const trusted = parseTrustedProxies("2001:db8::/32, private");
    expect(trusted?.kind === "list" && trusted.isTrusted("2001:db8::5")).toBe(true);
    expect(trusted?.kind === "list" && trusted.isTrusted("192.168.1.1")).toBe(true);
    expect(trusted?.kind === "list" && trusted.isTrusted("203.0.113.1")).toBe(false);
    expect(() => parseTrustedProxies("10.0.0.0/40")).toThrow(/10.0.0.0\/40/);
    expect(() => parseTrustedProxies("proxy.example.com")).toThrow(/not an IP address/);
    expect(parseTrustedProxies("")).toBeNull();
  });
});

describe("client address on Lambda", () => {
  const policy = { trustedProxies: null, onLambda: true };

  it("uses CloudFront's viewer address, IPv4 or IPv6, and not X-Forwarded-For", () => {
    expect(
      clientAddress(
        headers({ "cloudfront-viewer-address": "203.0.113.7:50123", "x-forwarded-for": "6.6.6.6" }),
        policy,
        null,
      ),
    ).toBe("203.0.113.7");
    expect(clientAddress(headers({ "cloudfront-viewer-address": "2001:db8::a:443" }), policy, null)).toBe(
      "2001:db8::a",
    );
    expect(clientAddress(headers({ "x-forwarded-for": "6.6.6.6" }), policy, null)).toBeNull();
  });
});

describe("AUTH_TRUSTED_PROXIES in the environment", () => {
  afterEach(() => {
    delete process.env.AUTH_TRUSTED_PROXIES;
    resetServerEnvCache();
  });

  it("stops the server at start with a message naming the variable and the bad entry", () => {
    process.env.AUTH_TRUSTED_PROXIES = "10.0.0.0/8, banana";
    resetServerEnvCache();
    expect(() => serverEnv()).toThrow(/AUTH_TRUSTED_PROXIES: "banana" is not an IP address/);
  });
});

describe("peer address stamping (next start)", () => {
  it("replaces a forged peer header with the socket address on every http.Server", async () => {
    installPeerAddressStamping();
    const server = http.createServer((request, response) => {
      const h = new Headers();
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === "string") h.set(name, value);
      response.end(String(requestIp(h)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { [PEER_ADDRESS_HEADER]: "forged 6.6.6.6", "x-forwarded-for": "7.7.7.7" },
      });
      expect(await answer.text()).toBe("127.0.0.1");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
