/** Only same-site paths: "/models?x=1" yes; "//evil.com", "https://evil.com", "javascript:" no. */
export function safeCallbackPath(
  value: string | string[] | undefined | null,
  fallback = "/dashboard",
): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  if (!candidate?.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) {
    return fallback;
  }
  return candidate;
}
