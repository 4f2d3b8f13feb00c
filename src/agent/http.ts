/**
 * JSON over the v2 session for the agent's REST calls (docs/signing-agent.md, The v2 protocol): bounded
 * response reading, and errors that name the call and the HTTP status, never a token, key or body.
 */
import { SigningError } from '../lib/errors.js';
import type { QredoTokenSession } from '../client/token-session.js';

const MAX_RESPONSE_CHARS = 1024 * 1024;

/** A short, secret-free reason from a thrown runtime error. */
export function reasonOf(error: unknown): string {
  if (error instanceof SigningError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.name : 'network error';
}

/**
 * Sends one request with the session (which adds `x-token` for this origin only) and returns the
 * parsed JSON of a 2xx answer (`undefined` for an empty body). Any other status is an error (§7.3
 * step 5).
 */
export async function sendJson(
  session: QredoTokenSession,
  what: string,
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  body?: string,
): Promise<unknown> {
  let response: Response;
  try {
    response = await session.fetch(url, {
      method,
      // §7.3 step 5: the Go agent's Content-Type is not known; JSON is what the body is.
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
    });
  } catch (error) {
    if (error instanceof SigningError && error.code !== 'AGENT_REQUEST_FAILED') throw error;
    throw new SigningError('AGENT_REQUEST_FAILED', `${what} failed: ${reasonOf(error)}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new SigningError(
      'AGENT_REQUEST_FAILED',
      `${what} failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  }
  if (text.length > MAX_RESPONSE_CHARS) {
    throw new SigningError('AGENT_REQUEST_FAILED', `${what}: response too large`);
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SigningError(
      'AGENT_REQUEST_FAILED',
      `${what}: HTTP ${response.status} with a body that is not JSON`,
    );
  }
}
