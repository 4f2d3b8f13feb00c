// Compiled (never run) by signed-fetch-types.test.ts under strict TypeScript: what an SDK author
// writes against createSignedFetch (issue 16). Every line must compile, and each
// `@ts-expect-error` line must fail to (or the directive itself is reported).
import {
  createSignedFetch,
  type FetchFunction,
  type RequestSigner,
  type SignedFetchInit,
} from '../../../src/client/signed-fetch.js';

declare const signer: RequestSigner;

interface Company {
  name: string;
  tags?: string[];
}

export async function examples(): Promise<void> {
  const qfetch = createSignedFetch(signer);
  // The TSDoc example of createSignedFetch: an object body.
  await qfetch('https://api.qredo.network/qapi/v1/company', {
    method: 'POST',
    body: { name: 'ACME' },
  });
  // An interface-typed payload and an array.
  const company: Company = { name: 'ACME' };
  await qfetch('https://api.qredo.network/qapi/v1/company', { method: 'POST', body: company });
  await qfetch('https://api.qredo.network/qapi/v1/batch', { method: 'POST', body: [company] });
  // The README's calls: a string body, a redirect option, a URL object.
  await qfetch('https://api.qredo.network/qapi/v1/company', { method: 'PATCH', body: '{"a":1}' });
  await qfetch(new URL('https://play-api.qredo.network/api/v1/p/company'), { redirect: 'follow' });
  // A plain RequestInit, typed as such, is accepted unchanged.
  const plain: RequestInit = { method: 'PUT', body: new Uint8Array([1, 2]), headers: { a: 'b' } };
  await qfetch('https://api.qredo.network/qapi/v1/x', plain);
  const init: SignedFetchInit = plain;
  void init;
  // It still is a fetch for code that takes one.
  const asFetch: FetchFunction = qfetch;
  void asFetch;
  // @ts-expect-error a number is not a body
  await qfetch('https://api.qredo.network/qapi/v1/x', { method: 'POST', body: 42 });
  // @ts-expect-error nor is a method other than a string
  await qfetch('https://api.qredo.network/qapi/v1/x', { method: 1 });
}
