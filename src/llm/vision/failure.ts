import { requestFailure } from '../request-failure.js';
import type { RequestWatch } from '../request-watch.js';

/** How one vision provider names itself and its fixes in messages. */
export interface VisionEndpoint {
  /** e.g. "Ollama at http://127.0.0.1:11434 (llava@Ollama)". */
  source: string;
  /** What to say on 404. */
  missingModel: string;
  /** What to check on 401/403. */
  credentials: string;
}

/** Any failure of a describe() call as the caller should see it; see requestFailure. */
export function visionFailure(error: unknown, watch: RequestWatch, endpoint: VisionEndpoint): unknown {
  const { source } = endpoint;
  return requestFailure(error, watch, {
    source,
    request: 'the image description request',
    timedOut: (idle) =>
      `${source} sent nothing for ${idle} while describing an image; raise timeoutMs if the model is just slow`,
    // A described image is not streamed, so a connection lost after the status still reads as unreachable.
    unreachable: `${source} is not reachable — is it running?`,
    unauthorized: (status, suffix) =>
      `${source} rejected the credentials (HTTP ${status}); check ${endpoint.credentials}${suffix}`,
    missingModel: (suffix) => `${endpoint.missingModel} (HTTP 404)${suffix}`,
    failed: (detail) => `${source} failed to describe the image: ${detail}`,
  });
}
