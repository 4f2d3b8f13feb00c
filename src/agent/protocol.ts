/**
 * The v2 Signing Agent's wire formats (docs/signing-agent.md, The v2 protocol), pure and without I/O: the request
 * bodies exactly as Go's `json.Marshal` writes them, and checked readers for what the server
 * sends (an action by REST with hex messages, or by the feed with base64 messages).
 */
import { SigningError } from '../lib/errors.js';
import { base64, toHex } from '../lib/encoding.js';

/** v2 status values the agent sends (§7.3 step 4). Nothing else about statuses is known (§11). */
export const APPROVE_STATUS = 3;
/** The v2 status that rejects an action (§7.3 step 4); sent with the same signature as approval. */
export const REJECT_STATUS = 4;

/** An approval decision. */
export type Decision = 'approve' | 'reject';

/**
 * The body of `POST {api}/actions/{id}`: `{"status":3|4,"signatures":["<hex>"]}` (§7.3; the
 * signature does not depend on the decision).
 *
 * @example
 * ```ts
 * decisionBody(signature, 'approve'); // '{"status":3,"signatures":["02…"]}'
 * ```
 */
export function decisionBody(signature: Uint8Array, decision: Decision): string {
  const status = decision === 'approve' ? APPROVE_STATUS : REJECT_STATUS;
  return `{"status":${status},"signatures":["${toHex(signature)}"]}`;
}

/**
 * The body of `PUT {api}/workspaces/{ws}/apikeys/{apiKeyId}`:
 * `{"blsPublicKey":"<b64 192 B>","ecPublicKey":"<b64 65 B>"}` (§7.2 step 3).
 *
 * @example
 * ```ts
 * registrationBody(keys);
 * ```
 */
export function registrationBody(keys: {
  blsPublicKey: Uint8Array;
  ecPublicKey: Uint8Array;
}): string {
  return `{"blsPublicKey":"${base64.encode(keys.blsPublicKey)}","ecPublicKey":"${base64.encode(keys.ecPublicKey)}"}`;
}

/**
 * An action as the server describes it: `messages` decoded to bytes (only `messages[0]` is ever
 * signed, §7.3 step 2), `status` as sent (its meaning beyond 3/4 is not known), `expireTime` in Unix
 * seconds when the feed gives one.
 *
 * @example
 * ```ts
 * for await (const action of agent.feed({ signal })) console.log(action.id, action.status);
 * ```
 */
export interface AgentAction {
  /** The action id, as used in `approve(id)` / `reject(id)`. */
  id: string;
  /** The status as the server sent it; undefined when it sent none. */
  status: number | undefined;
  /** The messages to sign, decoded to bytes; the agent signs `messages[0]` (§7.3 step 2). */
  messages: Uint8Array[];
  /** Unix seconds after which the action is void; undefined when the server gave no expiry. */
  expireTime: number | undefined;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const MAX_MESSAGES = 64;

function invalid(what: string): never {
  throw new SigningError('INVALID_ACTION', `the server's action ${what}`);
}

/**
 * Reads an action object: `messages` as hex (REST, §7.3) or standard base64 (feed, §7.4).
 * Anything unexpected is refused (`INVALID_ACTION`) rather than signed: a `null` message, which the
 * Go agent would pass to AMCL as a NULL pointer, included.
 */
export function parseAction(
  value: unknown,
  encoding: 'hex' | 'base64',
  expectedId?: string,
): AgentAction {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid('is not an object');
  const raw = value as { id?: unknown; status?: unknown; messages?: unknown; expireTime?: unknown };
  const id = raw.id ?? expectedId;
  if (typeof id !== 'string' || id === '') invalid('has no id');
  if (expectedId !== undefined && id !== expectedId)
    invalid('has another id than the one asked for');
  if (
    raw.status !== undefined &&
    (typeof raw.status !== 'number' || !Number.isInteger(raw.status))
  ) {
    invalid('status is not an integer');
  }
  if (
    raw.expireTime !== undefined &&
    (typeof raw.expireTime !== 'number' || !Number.isFinite(raw.expireTime))
  ) {
    invalid('expireTime is not a number');
  }
  if (!Array.isArray(raw.messages) || raw.messages.length === 0) invalid('has no messages');
  if (raw.messages.length > MAX_MESSAGES) invalid('has too many messages');
  const messages = raw.messages.map((m) => {
    if (typeof m !== 'string') invalid('has a message that is not a string');
    const bytes = encoding === 'hex' ? (HEX.test(m) ? fromHex(m) : undefined) : base64.decode(m);
    if (bytes === undefined) invalid(`has a message that is not ${encoding}`);
    return bytes;
  });
  return {
    id,
    status: raw.status as number | undefined,
    messages,
    expireTime: raw.expireTime as number | undefined,
  };
}

/** Bytes of even-length hex text (already checked). */
export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
