export * from './types.js';
export { RagFlowError, ErrorCode } from './errors.js';
