/**
 * `qredo-sign/agent`: the Qredo Signing Agent in TypeScript (contract §7, docs/signing-agent.md): BLS12-381
 * approvals byte-compatible with the Go agent and Apache Milagro, on `@noble/curves`, in every
 * runtime this package supports. This entry only re-exports; each concern lives in `agent/`.
 */
export {
  agentKeysFromSeed,
  generateAgentKeys,
  importAgentKeys,
  AGENT_SEED_BYTES,
  type AgentKeys,
  type AgentKeyRecord,
  type AgentSeedOptions,
} from './agent/keys.js';
export {
  blsSign,
  blsVerify,
  blsPublicKey,
  BLS_PUBLIC_KEY_BYTES,
  BLS_SECRET_KEY_BYTES,
  BLS_SIGNATURE_BYTES,
  type BlsVerifyOptions,
} from './agent/bls.js';
export { zkpHeader, zkpOnePass, type ZkpHeaderInput } from './agent/zkp.js';
export { amclSeedStream } from './agent/amcl-rand.js';
export {
  decisionBody,
  registrationBody,
  APPROVE_STATUS,
  REJECT_STATUS,
  type AgentAction,
  type Decision,
} from './agent/protocol.js';
export {
  createSigningAgent,
  type SigningAgent,
  type SigningAgentOptions,
  type ApprovalPolicy,
  type PolicyVerdict,
  type DecisionResult,
} from './agent/client.js';
export {
  tokenQueryHandshake,
  headerTokenHandshake,
  type FeedHandshake,
  type FeedHandshakeContext,
  type FeedConnection,
  type FeedOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './agent/feed.js';
export {
  createRedisApprovalLock,
  type ApprovalLock,
  type RedisApprovalLockOptions,
  type RedisLockClient,
} from './agent/lock.js';
export { redactUrl } from './agent/redact.js';
