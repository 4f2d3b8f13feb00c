/**
 * URL redaction for logs. The v2 feed's handshake is not pinned (docs/signing-agent.md, What is not verified); browsers
 * cannot send WebSocket headers, so a feed token may travel in the query string, and a URL that
 * is logged must not carry it.
 */

/**
 * The URL with every query value and any user-info replaced by `REDACTED`.
 *
 * @example
 * ```ts
 * redactUrl('wss://h/feed?token=eyJ…'); // 'wss://h/feed?token=REDACTED'
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparseable URL]';
  }
  if (parsed.username || parsed.password) {
    parsed.username = 'REDACTED';
    parsed.password = '';
  }
  const names = [...parsed.searchParams.keys()];
  if (names.length) parsed.search = names.map((n) => `${encodeURIComponent(n)}=REDACTED`).join('&');
  parsed.hash = '';
  return parsed.href;
}

/** `text` with each of `secrets` (non-empty) replaced by `REDACTED`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('REDACTED');
  return out;
}
