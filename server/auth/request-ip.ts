/**
 * The client address the sign-in throttle and the audit log use. Headers a client can write are
 * believed only as far as the configuration says (AUTH_TRUSTED_PROXIES): a spoofed
 * `X-Forwarded-For` must neither dodge an address's lockout nor lock somebody else's address.
 *
 *  1. On Lambda behind CloudFront: CloudFront's `CloudFront-Viewer-Address` (`ip:port`), which
 *     CloudFront writes itself; without it, the forwarded chain if proxies are configured.
 *  2. Elsewhere: the socket address (stamped by our Node server, see peer-address.ts), walked
 *     back through `X-Forwarded-For` past the configured trusted proxies.
 *  3. Nothing trustworthy: null (the account lockout still applies; the address one does not).
 */
import { serverEnv } from "../env";
import { normaliseAddress, peerAddressFrom } from "./peer-address";
import { clientFromChain, forwardedChain, parseTrustedProxies, type TrustedProxies } from "./trusted-proxies";

export interface ClientAddressPolicy {
  trustedProxies: TrustedProxies | null;
  onLambda: boolean;
}

/** `203.0.113.7:443` → `203.0.113.7`; `2001:db8::1:443` → `2001:db8::1` (the port is the last part). */
function addressOfViewer(value: string | null): string | null {
  if (!value) return null;
  const colon = value.lastIndexOf(":");
  return colon > 0 ? normaliseAddress(value.slice(0, colon).replace(/^\[|\]$/g, "")) : null;
}

export function clientAddress(
  headers: Headers,
  policy: ClientAddressPolicy,
  peer: string | null = peerAddressFrom(headers),
): string | null {
  if (policy.onLambda) {
    const viewer = addressOfViewer(headers.get("cloudfront-viewer-address"));
    if (viewer) return viewer;
  }
  if (!policy.trustedProxies) return peer;
  return clientFromChain(forwardedChain(headers.get("x-forwarded-for")), peer, policy.trustedProxies);
}

let cachedPolicy: { raw: string | undefined; policy: ClientAddressPolicy } | undefined;

function policyFromEnv(): ClientAddressPolicy {
  const raw = serverEnv().AUTH_TRUSTED_PROXIES;
  if (!cachedPolicy || cachedPolicy.raw !== raw) {
    cachedPolicy = {
      raw,
      policy: {
        trustedProxies: parseTrustedProxies(raw),
        onLambda: Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME),
      },
    };
  }
  return cachedPolicy.policy;
}

/** The request's client address under the server's configuration, or null when unknown. */
export function requestIp(headers: Headers | undefined): string | null {
  return headers ? clientAddress(headers, policyFromEnv()) : null;
}
