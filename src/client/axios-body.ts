/**
 * The body of an axios request, serialised once into the bytes that will be signed and sent.
 * Text and bytes are sent as given. For anything else axios's own `transformRequest` (objects →
 * JSON with `content-type: application/json`, URLSearchParams → form text) or the caller's runs
 * here, once; what it yields must then be bytes
 * or text, because only bytes can be signed: FormData and Blob are encoded through the Fetch
 * standard's `Response` (which fixes the multipart boundary before signing); streams are refused.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { SigningError } from '../lib/errors.js';

export interface SerialisedBody {
  /** What is signed. */
  body: string | Uint8Array | undefined;
  /** What axios sends: the same text, or an ArrayBuffer of exactly the signed bytes. */
  sent: string | ArrayBuffer | undefined;
  /** A content type the encoding fixed (FormData's boundary, a Blob's type). */
  contentType?: string;
}

type Transform = (this: unknown, data: unknown, headers: unknown) => unknown;

function runTransforms(config: InternalAxiosRequestConfig): unknown {
  const transforms = config.transformRequest;
  const list = (
    transforms === undefined ? [] : Array.isArray(transforms) ? transforms : [transforms]
  ) as Transform[];
  let data: unknown = config.data;
  for (const transform of list) data = transform.call(config, data, config.headers);
  return data;
}

const isFormData = (v: unknown) => typeof FormData !== 'undefined' && v instanceof FormData;
const isBlob = (v: unknown) => typeof Blob !== 'undefined' && v instanceof Blob;

/** A private copy of the bytes, so that later writes by the caller change neither copy. */
function bytesOf(value: ArrayBuffer | ArrayBufferView): SerialisedBody {
  const copy =
    value instanceof ArrayBuffer
      ? new Uint8Array(value.slice(0))
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  return { body: copy, sent: copy.slice().buffer };
}

/**
 * Serialises `config.data`. `serialised`: the config went through this already (a retry), so its
 * data is the bytes or text that were sent the first time.
 */
export async function serialiseAxiosBody(
  config: InternalAxiosRequestConfig,
  serialised: boolean,
): Promise<SerialisedBody> {
  // Text and bytes are already serialised: sent verbatim (axios's default would trim JSON text).
  const raw = config.data;
  const verbatim =
    serialised || typeof raw === 'string' || raw instanceof ArrayBuffer || ArrayBuffer.isView(raw);
  const data = verbatim ? raw : runTransforms(config);
  if (data === undefined || data === null || data === '') {
    return { body: undefined, sent: undefined };
  }
  if (typeof data === 'string') return { body: data, sent: data };
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return bytesOf(data);
  if (data instanceof URLSearchParams) {
    const text = data.toString();
    const type = config.headers.getContentType?.();
    return {
      body: text,
      sent: text,
      contentType: type ? undefined : 'application/x-www-form-urlencoded;charset=utf-8',
    };
  }
  if (isFormData(data) || isBlob(data)) {
    const encoded = new Response(data as FormData | Blob);
    const type = encoded.headers.get('content-type') ?? undefined;
    const result = bytesOf(await encoded.arrayBuffer());
    // FormData's boundary must be the one in the signed bytes; a Blob's own type only fills a gap.
    const keep = isBlob(data) && config.headers.getContentType?.();
    return { ...result, contentType: keep ? undefined : type };
  }
  throw new SigningError(
    'INVALID_BODY',
    'axios request data must serialise to text or bytes to be signed (a string, an object, bytes, URLSearchParams, FormData or a Blob); read a stream into a Buffer first',
  );
}
