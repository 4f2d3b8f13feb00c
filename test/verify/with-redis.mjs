#!/usr/bin/env node
/**
 * A throwaway redis-server for tests: loopback only, a free port, no persistence (a test server;
 * production needs AOF, see docs/verifying.md), `noeviction`, stopped by PID.
 *
 *   node test/verify/with-redis.mjs <command> [args…]   runs the command with REDIS_URL set, then stops
 *                                                   the server and exits with the command's status
 *   import { startRedis } from './with-redis.mjs'   what test/verify/nonce-store-redis.test.ts uses when
 *                                                   REDIS_URL is not already set
 *
 * Needs the `redis-server` binary (Debian: `apt-get install -y redis-server`). Only the process this
 * script started is ever signalled.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when a `redis-server` binary is on PATH. */
export function hasRedisServer() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A port the kernel says is free right now (the tiny race with redis-server is retried below). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true once the server answers PING with +PONG. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.on('error', () => {});
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startOnce() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'qredo-sign-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      // What docs/verifying.md asks of production: a full Redis refuses writes, never evicts nonces.
      '--maxmemory-policy',
      'noeviction',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', () => resolve((exited = true))));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });

  async function stop() {
    if (!exited && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      let timer;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, 3000, false)));
      await Promise.race([exit, late]);
      clearTimeout(timer);
      if (!exited) {
        process.kill(child.pid, 'SIGKILL');
        await exit;
      }
    }
    cleanup();
  }

  for (let i = 0; i < 100 && !exited; i++) {
    if (await ping(port)) return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop };
    await sleep(50);
  }
  await stop();
  return undefined;
}

/**
 * Starts redis-server on 127.0.0.1 on a free port. Resolves `{ url, port, pid, stop }`; `stop()`
 * sends SIGTERM to that PID (SIGKILL after 3 s) and removes its working directory.
 */
export async function startRedis() {
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = await startOnce();
    if (server) return server;
  }
  throw new Error('redis-server did not start (see its messages above)');
}

async function main(argv) {
  if (argv.length === 0) {
    console.error('usage: node test/verify/with-redis.mjs <command> [args…]');
    return 2;
  }
  if (!hasRedisServer()) {
    console.error('redis-server not found: apt-get install -y redis-server');
    return 2;
  }
  const redis = await startRedis();
  const stopAndExit = async (signal) => {
    await redis.stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stopAndExit);
  process.once('SIGTERM', stopAndExit);
  try {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, REDIS_URL: redis.url },
    });
    return await new Promise((resolve) => {
      child.on('error', (e) => {
        console.error(`cannot run ${argv[0]}: ${e.message}`);
        resolve(2);
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
