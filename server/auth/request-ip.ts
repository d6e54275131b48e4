/** Client address as reported by the proxy in front of us (CloudFront / load balancer). */
export function requestIp(headers: Headers | undefined): string | null {
  if (!headers) return null;
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) return forwarded.split(",")[0].trim() || null;
  return headers.get("x-real-ip");
}
