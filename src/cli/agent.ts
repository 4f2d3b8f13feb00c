/**
 * `qredo-sign agent keygen|show|register|approve|reject|listen` (contract §6.1, §7): the Signing Agent
 * from the command line. Keys live in a JSON file holding the v2 record (`blsPrivateKey`,
 * `ecPrivateKey`, standard base64), created with mode 0600 and never over an existing file unless
 * `--force`; a v1 file with `bls_seed` is read too. Nothing secret is printed: `show` and `keygen`
 * print public keys only.
 */
import { closeSync, fchmodSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  createSigningAgent,
  generateAgentKeys,
  headerTokenHandshake,
  importAgentKeys,
  tokenQueryHandshake,
  type AgentKeys,
  type WebSocketConstructor,
} from '../agent.js';
import {
  UsageError,
  fromFlagOrEnv,
  optionalString,
  parse,
  readFileArgument,
  required,
  secretInput,
  SECRET_OPTIONS,
  type CliIo,
  type OptionSpec,
  type Values,
} from './args.js';

const KEYS = { keys: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
const CONNECTION = {
  ...KEYS,
  ...SECRET_OPTIONS,
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  workspace: { type: 'string' },
} as const;
const FEED = {
  ...CONNECTION,
  'feed-path': { type: 'string' },
  'feed-token-path': { type: 'string' },
  'feed-token-param': { type: 'string' },
  'feed-header-token': { type: 'boolean' },
  'pending-status': { type: 'string' },
  duration: { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

const OPTIONS: Record<string, OptionSpec> = {
  keygen: { ...KEYS, force: { type: 'boolean' } },
  show: { ...KEYS, format: { type: 'string' } },
  register: { ...CONNECTION, 'api-key-id': { type: 'string' } },
  approve: CONNECTION,
  reject: CONNECTION,
  listen: FEED,
};

export const AGENT_HELP = `qredo-sign agent — the Qredo Signing Agent (BLS12-381 approvals, docs/contract.md §7)

Usage:
  qredo-sign agent keygen   --keys PATH [--force]      new keys, file written with mode 0600
  qredo-sign agent show     --keys PATH [--format text|json]   public keys only
  qredo-sign agent register --keys PATH (connection) [--api-key-id ID]
  qredo-sign agent approve  ACTION_ID --keys PATH (connection)
  qredo-sign agent reject   ACTION_ID --keys PATH (connection)
  qredo-sign agent listen   --keys PATH (connection) [feed options] [--duration SECONDS]

Connection (API v2 token session):
  --api-key K           API key id (or QREDO_API_KEY)
  --secret S            API secret, base64url (or QREDO_API_SECRET)
  --base-url U          API v2 base URL, e.g. https://<host>/api/v2 (or QREDO_BASE_URL)
  --workspace W         workspace id (or QREDO_WORKSPACE_ID)
  --keys PATH           agent keys file (or QREDO_AGENT_KEYS): {"blsPrivateKey","ecPrivateKey"}
                        (v2 record, base64) or {"bls_seed"} (v1)

register: PUTs the public keys for --api-key-id (default: --api-key) and approves the returned
action with the new key. approve/reject: sign the action's first message; status 3 / 4.

listen prints one JSON line per live action of the feed and approves NOTHING (decide with
approve/reject, or use createSigningAgent's policy hook in code). The feed handshake is NOT
verified against Qredo (no public source pins it): by default a feed token from
POST {base}/workspaces/{W}/websocket/token, passed as ?token= on {base as wss}/workspaces/{W}/websocket.
  --feed-path P         feed path under the base URL ({workspaceId} is replaced)
  --feed-token-path P   feed-token path; --feed-token-param N: its query parameter name
  --feed-header-token   send the session token in an x-token header instead (not browsers)
  --pending-status N    only show actions with this status (the v2 value is not known)
  --duration SECONDS    stop after this long (default: until interrupted)
  --verbose             feed events on stderr (URLs with tokens redacted)

Exit status: 0 success, 2 bad usage, bad input or a refused request.
`;

/** Creates `path` with mode 0600 (see keygen.ts for why `wx` and rename-over with --force). */
function writeSecretFile(path: string, text: string, force: boolean): void {
  const target = force ? join(dirname(path), `.${basename(path)}.${process.pid}.tmp`) : path;
  let fd: number;
  try {
    fd = openSync(target, 'wx', 0o600);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') {
      throw new UsageError(
        `agent keygen: ${JSON.stringify(path)} exists; use --force to replace it`,
      );
    }
    throw new UsageError(`agent keygen: cannot create ${JSON.stringify(path)}: ${code ?? 'error'}`);
  }
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  if (force) {
    try {
      renameSync(target, path);
    } catch (error) {
      unlinkSync(target);
      throw new UsageError(`agent keygen: cannot replace ${JSON.stringify(path)}`);
    }
  }
}

function keysPath(values: Values, command: string, io: CliIo): string {
  const path = fromFlagOrEnv(values, 'keys', io, 'QREDO_AGENT_KEYS');
  if (path === undefined)
    throw new UsageError(`${command}: --keys is required (or set QREDO_AGENT_KEYS)`);
  return path;
}

function loadKeys(path: string, command: string, io: CliIo): AgentKeys {
  const bytes = readFileArgument(path, '--keys');
  const text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new UsageError(`${command}: the keys file is not JSON`);
  }
  for (const v of Object.values(record ?? {})) {
    if (typeof v === 'string' && v.length >= 16) io.secrets.add(v);
  }
  if (typeof record?.bls_seed === 'string') return importAgentKeys({ blsSeed: record.bls_seed });
  const { blsPrivateKey, ecPrivateKey } = record ?? {};
  if (typeof blsPrivateKey !== 'string' || typeof ecPrivateKey !== 'string') {
    throw new UsageError(
      `${command}: the keys file needs blsPrivateKey and ecPrivateKey (or bls_seed)`,
    );
  }
  return importAgentKeys({ blsPrivateKey, ecPrivateKey });
}

function publicText(keys: AgentKeys): string {
  const { blsPublicKey, ecPublicKey } = keys.toJSON() as {
    blsPublicKey: string;
    ecPublicKey: string;
  };
  return `blsPublicKey: ${blsPublicKey}\necPublicKey: ${ecPublicKey}\n`;
}

async function webSocket(): Promise<WebSocketConstructor> {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global === 'function') return global;
  try {
    // Node 20 has no global WebSocket; the `ws` package serves when installed.
    const ws = (await import('ws')) as unknown as { default: WebSocketConstructor };
    return ws.default;
  } catch {
    throw new UsageError('agent listen: no WebSocket here: use Node 22+ or install the ws package');
  }
}

async function agentFrom(values: Values, command: string, io: CliIo, extra: object = {}) {
  const keys = loadKeys(keysPath(values, command, io), command, io);
  const apiKey = required(values, 'api-key', command, io, 'QREDO_API_KEY');
  const secret = await secretInput(values, command, io);
  const baseUrl = required(values, 'base-url', command, io, 'QREDO_BASE_URL');
  const workspaceId = required(values, 'workspace', command, io, 'QREDO_WORKSPACE_ID');
  return {
    apiKey,
    agent: createSigningAgent({ apiKey, secret, baseUrl, workspaceId, keys, ...extra }),
  };
}

function positiveNumber(values: Values, flag: string, command: string): number | undefined {
  const text = optionalString(values, flag);
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) {
    throw new UsageError(`${command}: --${flag} must be a positive number`);
  }
  return Number(text);
}

async function listen(values: Values, io: CliIo): Promise<number> {
  const command = 'agent listen';
  const duration = positiveNumber(values, 'duration', command);
  const statusText = optionalString(values, 'pending-status');
  if (statusText !== undefined && !/^-?\d+$/.test(statusText)) {
    throw new UsageError(`${command}: --pending-status must be an integer`);
  }
  const feedPath = optionalString(values, 'feed-path');
  const handshake = values['feed-header-token']
    ? headerTokenHandshake(feedPath ? { feedPath } : {})
    : tokenQueryHandshake({
        ...(feedPath ? { feedPath } : {}),
        ...(optionalString(values, 'feed-token-path')
          ? { tokenPath: optionalString(values, 'feed-token-path') }
          : {}),
        ...(optionalString(values, 'feed-token-param')
          ? { param: optionalString(values, 'feed-token-param') }
          : {}),
      });
  const { agent } = await agentFrom(values, command, io, {
    feed: { handshake, WebSocket: await webSocket() },
    ...(values.verbose ? { log: (line: string) => io.err(`${line}\n`) } : {}),
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = duration === undefined ? undefined : setTimeout(stop, duration * 1000);
  try {
    for await (const action of agent.feed({ signal: controller.signal })) {
      if (statusText !== undefined && action.status !== Number(statusText)) continue;
      io.out(
        `${JSON.stringify({
          id: action.id,
          status: action.status,
          expireTime: action.expireTime,
          messages: action.messages.map((m) => Buffer.from(m).toString('hex')),
        })}\n`,
      );
    }
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    agent.destroy();
  }
  return 0;
}

/**
 * Runs `qredo-sign agent …`; resolves to the exit status.
 *
 * @example
 * ```ts
 * await agentCommand(['show', '--keys', 'agent.json'], io);
 * ```
 */
export async function agentCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) {
    io.err(AGENT_HELP);
    return 2;
  }
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(AGENT_HELP);
    return 0;
  }
  const spec = Object.hasOwn(OPTIONS, sub) ? OPTIONS[sub] : undefined;
  if (!spec) {
    throw new UsageError(
      'agent: expected keygen, show, register, approve, reject or listen (see --help)',
    );
  }
  const command = `agent ${sub}`;
  const takesId = sub === 'approve' || sub === 'reject';
  const { values, positionals } = parse(rest, spec, command, takesId ? 1 : 0);
  if (values.help) {
    io.out(AGENT_HELP);
    return 0;
  }
  switch (sub) {
    case 'keygen': {
      const path = keysPath(values, command, io);
      const keys = generateAgentKeys();
      const record = keys.exportSecretRecord();
      writeSecretFile(path, `${JSON.stringify(record, null, 2)}\n`, values.force === true);
      io.out(publicText(keys));
      keys.destroy();
      return 0;
    }
    case 'show': {
      const keys = loadKeys(keysPath(values, command, io), command, io);
      const format = optionalString(values, 'format') ?? 'text';
      if (format !== 'text' && format !== 'json')
        throw new UsageError(`${command}: --format must be text or json`);
      io.out(format === 'json' ? `${JSON.stringify(keys)}\n` : publicText(keys));
      keys.destroy();
      return 0;
    }
    case 'register': {
      const { apiKey, agent } = await agentFrom(values, command, io);
      try {
        const { actionId } = await agent.register(optionalString(values, 'api-key-id') ?? apiKey);
        io.out(`registered; key-registration action ${actionId} approved\n`);
      } finally {
        agent.destroy();
      }
      return 0;
    }
    case 'approve':
    case 'reject': {
      const id = positionals[0];
      if (id === undefined) throw new UsageError(`${command}: give the action id`);
      const { agent } = await agentFrom(values, command, io);
      try {
        const result = sub === 'approve' ? await agent.approve(id) : await agent.reject(id);
        io.out(
          `${sub === 'approve' ? 'approved' : 'rejected'} ${result.actionId}\nsignature: ${result.signature}\n`,
        );
      } finally {
        agent.destroy();
      }
      return 0;
    }
    default:
      return listen(values, io);
  }
}
