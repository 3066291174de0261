// Kept so existing imports keep working; chat models share the same backoff.
export { parseRetryAfter, retryDelayMs } from '../util/retry.js';
