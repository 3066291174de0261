import { ErrorCode, RagFlowError } from '../../errors.js';
import { resolveOllamaHost } from '../../embed/ollama.js';
import { retryPolicy, withRetries, type RetryPolicy } from '../../util/retry.js';
import { ollamaAttempt } from '../ollama-attempt.js';
import { RequestWatch } from '../request-watch.js';
import type { ChatProviderSettings } from '../types.js';
import { visionFailure, type VisionEndpoint } from './failure.js';
import { DEFAULT_VISION_TIMEOUT_MS, describeRequest, type VisionModelOptions } from './options.js';
import type { DescribeImageOptions, VisionModel } from './types.js';

/**
 * `<model>@Ollama` looking at an image (llava, llama3.2-vision, qwen2.5vl, …): one non-streamed
 * /api/chat whose user message carries the image in `images`, through the optional `ollama` package
 * as the chat and embedding models do.
 */

type OllamaSettings = NonNullable<ChatProviderSettings['ollama']>;

// Structural view of the parts of the package used here, so its types are not needed at build time.
interface OllamaVisionRequest {
  model: string;
  messages: { role: 'user'; content: string; images: string[] }[];
  stream: false;
}
interface OllamaVisionReply {
  message?: { content?: unknown };
}
interface OllamaClient {
  chat(request: OllamaVisionRequest): Promise<OllamaVisionReply>;
}

export class OllamaVisionModel implements VisionModel {
  readonly id: string;
  readonly host: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(
    readonly model: string,
    private readonly settings: OllamaSettings = {},
    options: VisionModelOptions = {},
  ) {
    this.id = `${model}@Ollama`;
    this.host = resolveOllamaHost(settings.host ?? process.env['OLLAMA_HOST']);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VISION_TIMEOUT_MS;
    this.retry = retryPolicy(options);
  }

  async describe(image: Uint8Array, options: DescribeImageOptions): Promise<string> {
    const { base64, prompt } = describeRequest(image, options);
    const request: OllamaVisionRequest = {
      model: this.model,
      messages: [{ role: 'user', content: prompt, images: [base64] }],
      stream: false,
    };
    const watch = new RequestWatch(options.signal, this.timeoutMs);
    try {
      const reply = await withRetries(() => this.send(request, watch), this.retry, watch.signal);
      const content = reply.message?.content;
      if (typeof content !== 'string') {
        throw new RagFlowError(ErrorCode.Exception, `${this.source()} answered without a message`);
      }
      return content.trim();
    } catch (error) {
      throw visionFailure(error, watch, this.endpoint());
    } finally {
      watch.dispose();
    }
  }

  private send(request: OllamaVisionRequest, watch: RequestWatch): Promise<OllamaVisionReply> {
    const options = { host: this.host, headers: this.settings.headers, feature: `Vision model "${this.id}"`, streaming: false };
    return ollamaAttempt<OllamaClient, OllamaVisionReply>(options, watch, (client) => client.chat(request));
  }

  private source(): string {
    return `Ollama at ${this.host} (${this.id})`;
  }

  private endpoint(): VisionEndpoint {
    return {
      source: this.source(),
      missingModel: `Ollama has no model "${this.model}" — run: ollama pull ${this.model}`,
      credentials: 'providers.ollama.headers',
    };
  }
}
