/**
 * `qredo-sign/axios`: sign every request of an axios instance (contract §3b). Needs `axios` (an
 * optional peer dependency); the main entries never import it.
 */
export { signAxios, type SignAxiosOptions } from './client/axios.js';
export type { AdapterSigner, AdapterSignInput } from './client/adapter-common.js';
