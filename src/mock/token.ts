/**
 * The JWTs the mock hands out on `GET {base}/workspaces/{id}/token` (contract §1.3): HS256 (RFC 7519,
 * RFC 7515) under a random key that lives as long as the server, so only the mock's own tokens
 * pass. Clients read `exp` (and `iat`) to renew at half the lifetime; the mock checks the signature
 * and `exp` of every `x-token` it receives.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The claims of a mock JWT (`sub` is the API key).
 *
 * @example
 * ```ts
 * const { sub, exp } = issuer.check(token);
 * ```
 */
export interface MockTokenClaims {
  sub: string;
  workspace: string;
  iat: number;
  exp: number;
  jti: string;
}

/**
 * Mints and checks the mock's JWTs.
 *
 * @example
 * ```ts
 * const token = issuer.mint('api-key', 'w1');
 * ```
 */
export interface MockTokenIssuer {
  mint(apiKey: string, workspace: string): string;
  /** The claims of a token this issuer minted and that has not expired; else a MockTokenError. */
  check(token: string): MockTokenClaims;
  /** Wipes the key: no token can be minted or checked afterwards. */
  destroy(): void;
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * A refused `x-token`. Not a library `SigningError`: the token is the mock's own business, and its
 * code appears only in the mock's 401 `detail.code`.
 *
 * @example
 * ```ts
 * if (error instanceof MockTokenError) console.log(error.code); // 'INVALID_TOKEN'
 * ```
 */
export class MockTokenError extends Error {
  readonly code = 'INVALID_TOKEN';
  override get name(): string {
    return 'MockTokenError';
  }
}

function invalid(message: string): MockTokenError {
  return new MockTokenError(message);
}

/**
 * A token issuer with its own random key; `lifetimeSeconds` sets `exp - iat`.
 *
 * @example
 * ```ts
 * const issuer = createTokenIssuer(3600, Date.now);
 * ```
 */
export function createTokenIssuer(lifetimeSeconds: number, now: () => number): MockTokenIssuer {
  const key = randomBytes(32);
  const mac = (data: string) => createHmac('sha256', key).update(data).digest();
  return {
    mint(apiKey, workspace) {
      const iat = Math.floor(now() / 1000);
      const claims: MockTokenClaims = {
        sub: apiKey,
        workspace,
        iat,
        exp: iat + lifetimeSeconds,
        jti: randomBytes(9).toString('base64url'),
      };
      const body = `${HEADER}.${b64(JSON.stringify(claims))}`;
      return `${body}.${mac(body).toString('base64url')}`;
    },
    check(token) {
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== HEADER) throw invalid('x-token is not a mock JWT');
      const expected = mac(`${parts[0]}.${parts[1]}`);
      const given = Buffer.from(parts[2], 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw invalid('x-token was not issued by this mock');
      }
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      if (now() / 1000 >= claims.exp) throw invalid('x-token has expired');
      return claims as MockTokenClaims;
    },
    destroy() {
      key.fill(0);
    },
  };
}
