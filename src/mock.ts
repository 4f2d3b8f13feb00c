/**
 * `qredo-sign/mock`: a mock Qredo server for SDK test suites (contract §6.1). Node, Deno and Bun
 * (node:http). The modules live in src/mock/.
 */
export { createMockServer, type MockServer, type MockServerOptions } from './mock/server.js';
export {
  mockResponse,
  type MockRoutes,
  type MockRouteHandler,
  type MockRouteRequest,
  type MockRouteResponse,
} from './mock/routes.js';
export type { MockPartnerKey, MockQredoKey } from './mock/verify.js';
export type { MockFailureBody, MockFailureDetail } from './mock/diagnostics.js';
