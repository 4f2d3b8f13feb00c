/**
 * `createSigningAgent`: the v2 Signing Agent (docs/signing-agent.md, The v2 protocol) over a Qredo API v2 token
 * session: register the agent's keys, read an action, approve or reject it with a BLS signature,
 * and follow the action feed with an approval policy.
 *
 * What no source pins down stays out of the decisions (contract §7; docs/signing-agent.md, What is not verified): there is no
 * built-in "pending" status (an explicit approve()/reject() is sent whatever the status; the feed's
 * auto-approval asks the policy, which sees the status, and filters on `pendingStatus` only when
 * the caller configures one), and the feed handshake is pluggable and marked unverified.
 */
import { SigningError, fail } from '../lib/errors.js';
import type { FetchFunction } from '../client/signed-fetch.js';
import { createQredoTokenSession, type QredoTokenSession } from '../client/token-session.js';
import type { AgentKeys } from './keys.js';
import {
  decisionBody,
  parseAction,
  registrationBody,
  type AgentAction,
  type Decision,
} from './protocol.js';
import { sendJson, reasonOf } from './http.js';
import { actionFeed, type FeedOptions } from './feed.js';
import type { ApprovalLock } from './lock.js';
import { toHex } from '../lib/encoding.js';
import { ensureHmacBackend } from './hmac-backend.js';

/**
 * What an approval policy answers for an action from the feed. `'ignore'` leaves it to people
 * (or another agent).
 */
export type PolicyVerdict = Decision | 'ignore';

/**
 * Decides an action from the feed. The default policy approves nothing.
 *
 * @example
 * ```ts
 * const policy: ApprovalPolicy = (a) => (allowed.has(a.id) ? 'approve' : 'ignore');
 * ```
 */
export type ApprovalPolicy = (action: AgentAction) => PolicyVerdict | Promise<PolicyVerdict>;

/**
 * Options of {@link createSigningAgent}.
 *
 * @example
 * ```ts
 * const options: SigningAgentOptions = { apiKey, secret, baseUrl, workspaceId, keys };
 * ```
 */
export interface SigningAgentOptions {
  /** The v2 API key id and secret (base64url, as shown in the web app): the token session's. */
  apiKey: string;
  /** The API secret of `apiKey`: base64url text as the web app shows it, or the raw key bytes. */
  secret: string | Uint8Array;
  /** The v2 API base URL, e.g. `https://<host>/api/v2` (configuration: no default is attested). */
  baseUrl: string | URL;
  /** The workspace whose actions this agent decides (the token session's workspace). */
  workspaceId: string;
  /** The agent's keys; the agent wipes them on {@link SigningAgent.destroy}. */
  keys: AgentKeys;
  /** The `fetch` for the API calls; default `globalThis.fetch`, looked up at each call. */
  fetch?: FetchFunction;
  /** The feed's WebSocket, handshake (unverified default) and reconnection. */
  feed?: FeedOptions;
  /** Auto-approval for {@link SigningAgent.listen}; default: approve nothing. */
  policy?: ApprovalPolicy;
  /** Only feed actions with this status reach the policy (default: all; the value is unknown). */
  pendingStatus?: number;
  /** At-most-once decisions across instances (see createRedisApprovalLock). */
  lock?: ApprovalLock;
  /** Receives one line per event; never a token, key or message content. Default: silent. */
  log?: (line: string) => void;
  /** Epoch ms (default Date.now): feed expiry and token lifetimes. */
  now?: () => number;
}

/**
 * The outcome of a decision that the server accepted.
 *
 * @example
 * ```ts
 * const { signature } = await agent.approve(actionId);
 * ```
 */
export interface DecisionResult {
  /** The action that was decided. */
  actionId: string;
  /** `'approve'` (status 3 sent) or `'reject'` (status 4). */
  decision: Decision;
  /** The hex signature that was sent. */
  signature: string;
}

/**
 * A v2 Signing Agent, made by {@link createSigningAgent}.
 *
 * @example
 * ```ts
 * const { actionId } = await agent.register(apiKeyId);
 * ```
 */
export interface SigningAgent {
  /** PUTs the public keys for `apiKeyId`, then approves the returned action with them (§7.2). */
  register(apiKeyId: string): Promise<{
    /** The registration's own action, already approved with the new keys (§7.2 step 4). */
    actionId: string;
  }>;
  /** `GET {api}/actions/{id}` (messages hex-decoded). */
  action(actionId: string): Promise<AgentAction>;
  /** Signs `messages[0]` and POSTs status 3 (§7.3). */
  approve(actionId: string): Promise<DecisionResult>;
  /** The same signature, status 4. */
  reject(actionId: string): Promise<DecisionResult>;
  /** The live, unexpired actions of the feed, reconnecting until `signal` aborts. */
  feed(options?: { signal?: AbortSignal }): AsyncIterable<AgentAction>;
  /** Runs the policy over the feed and sends its decisions until `signal` aborts. */
  listen(options?: { signal?: AbortSignal }): Promise<void>;
  /** Wipes the keys and the session. */
  destroy(): void;
}

const ID = /^[^\s/?#]{1,256}$/;

function checkId(id: unknown, field: string): string {
  if (typeof id !== 'string' || !ID.test(id)) {
    fail('INVALID_ARGUMENT', field, 'a non-empty id without white space, "/", "?" or "#"');
  }
  return id;
}

const MAX_REMEMBERED = 10_000;

/**
 * Creates a v2 Signing Agent.
 *
 * @example
 * ```ts
 * const agent = createSigningAgent({ apiKey, secret, baseUrl, workspaceId, keys: importAgentKeys(record) });
 * await agent.approve('2a3b…');
 * ```
 */
export function createSigningAgent(options: SigningAgentOptions): SigningAgent {
  if (typeof options !== 'object' || options === null)
    fail('INVALID_OPTION', 'options', 'an object');
  const { keys } = options;
  if (typeof keys?.sign !== 'function' || !(keys.blsPublicKey instanceof Uint8Array)) {
    fail(
      'INVALID_OPTION',
      'keys',
      'AgentKeys (agentKeysFromSeed, importAgentKeys, generateAgentKeys)',
    );
  }
  if (options.policy !== undefined && typeof options.policy !== 'function') {
    fail('INVALID_OPTION', 'policy', 'a function');
  }
  if (options.pendingStatus !== undefined && !Number.isInteger(options.pendingStatus)) {
    fail('INVALID_OPTION', 'pendingStatus', 'an integer');
  }
  ensureHmacBackend();
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  let session: QredoTokenSession | undefined = createQredoTokenSession({
    apiKey: options.apiKey,
    secret: options.secret,
    baseUrl: options.baseUrl,
    workspaceId: options.workspaceId,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now,
  });
  // The session has validated baseUrl; the same normalisation (no trailing slash) here.
  const base = new URL(
    options.baseUrl instanceof URL ? options.baseUrl.href : options.baseUrl,
  ).href.replace(/\/+$/, '');
  const ws = encodeURIComponent(options.workspaceId);

  const live = (): QredoTokenSession => {
    if (!session) throw new SigningError('INVALID_OPTION', 'this signing agent has been destroyed');
    return session;
  };

  async function action(actionId: string): Promise<AgentAction> {
    const id = checkId(actionId, 'actionId');
    const json = await sendJson(
      live(),
      'action request',
      'GET',
      `${base}/actions/${encodeURIComponent(id)}`,
    );
    return parseAction(json, 'hex', id);
  }

  async function post(
    id: string,
    message: Uint8Array,
    decision: Decision,
  ): Promise<DecisionResult> {
    const signature = keys.sign(message);
    await sendJson(
      live(),
      `${decision} request`,
      'POST',
      `${base}/actions/${encodeURIComponent(id)}`,
      decisionBody(signature, decision),
    );
    return { actionId: id, decision, signature: toHex(signature) };
  }

  async function decide(
    actionId: string,
    decision: Decision,
    known?: AgentAction,
  ): Promise<DecisionResult> {
    const id = checkId(actionId, 'actionId');
    if (options.lock && !(await options.lock.acquire(id))) {
      throw new SigningError(
        'ACTION_LOCKED',
        `action ${id} is being or has been decided by another agent instance`,
      );
    }
    // §7.3 step 2 / §7.4: only the first message is signed.
    const message = (known ?? (await action(id))).messages[0];
    const result = await post(id, message, decision);
    await options.lock?.done(id);
    return result;
  }

  async function register(apiKeyId: string): Promise<{ actionId: string }> {
    const keyId = checkId(apiKeyId, 'apiKeyId');
    const json = await sendJson(
      live(),
      'registration',
      'PUT',
      `${base}/workspaces/${ws}/apikeys/${encodeURIComponent(keyId)}`,
      registrationBody(keys),
    );
    const actionId = (json as { actionID?: unknown } | null)?.actionID;
    if (typeof actionId !== 'string' || !ID.test(actionId)) {
      throw new SigningError('INVALID_ACTION', 'the registration response has no "actionID"');
    }
    // §7.2 step 4: the key registration is itself an action, approved with the new key.
    await decide(actionId, 'approve');
    return { actionId };
  }

  function feed(feedOptions: { signal?: AbortSignal } = {}): AsyncIterable<AgentAction> {
    const current = live();
    return {
      [Symbol.asyncIterator]: () =>
        actionFeed({
          context: {
            baseUrl: base,
            workspaceId: options.workspaceId,
            token: () => current.token(),
            fetch: current.fetch,
          },
          options: options.feed ?? {},
          ...(feedOptions.signal ? { signal: feedOptions.signal } : {}),
          now,
          log,
        }),
    };
  }

  async function listen(listenOptions: { signal?: AbortSignal } = {}): Promise<void> {
    const policy: ApprovalPolicy = options.policy ?? (() => 'ignore');
    const seen = new Set<string>();
    for await (const a of feed(listenOptions)) {
      if (seen.has(a.id)) continue;
      if (options.pendingStatus !== undefined && a.status !== options.pendingStatus) {
        log(`listen: action ${a.id} has status ${a.status}, not the configured pending status`);
        continue;
      }
      let verdict: PolicyVerdict;
      try {
        verdict = await policy(a);
      } catch (error) {
        log(`listen: the policy failed for action ${a.id} (${reasonOf(error)}); ignored`);
        continue;
      }
      seen.add(a.id);
      if (seen.size > MAX_REMEMBERED) seen.delete(seen.values().next().value as string);
      if (verdict !== 'approve' && verdict !== 'reject') {
        log(`listen: action ${a.id} left to others by the policy`);
        continue;
      }
      try {
        await decide(a.id, verdict, a);
        log(`listen: ${verdict === 'approve' ? 'approved' : 'rejected'} action ${a.id}`);
      } catch (error) {
        log(`listen: ${verdict} of action ${a.id} failed (${reasonOf(error)})`);
        if (error instanceof SigningError && error.code === 'LOCK_UNAVAILABLE') throw error;
      }
    }
  }

  return {
    register,
    action,
    approve: (id) => decide(id, 'approve'),
    reject: (id) => decide(id, 'reject'),
    feed,
    listen,
    destroy() {
      session?.destroy();
      session = undefined;
      keys.destroy();
    },
  };
}
