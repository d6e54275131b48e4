/**
 * A value or a name quoted inside a message a person (or a client's log) reads. Values come from
 * requests and files, so they are cut: an error about a 4 MB string must not echo 4 MB back.
 */

/** Longest echoed text, in characters, before the ellipsis. */
export const MAX_ECHO_CHARS = 100;

/** `text` cut to `max` characters with "…" (never splitting a surrogate pair). */
export function truncateText(text: string, max = MAX_ECHO_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Strings in double quotes, anything else as JSON, cut to `max` characters. */
export function quoteValue(value: unknown, max = MAX_ECHO_CHARS): string {
  if (typeof value === "string") return `"${truncateText(value, max)}"`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return truncateText(text, max);
}
