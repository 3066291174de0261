import { ErrorCode, RagFlowError } from '../../errors.js';
import { resolveOllamaHost } from '../../embed/ollama.js';
import { importOptional } from '../../util/optional-import.js';
import { StatusFailure, retryPolicy, withRetries, type RetryPolicy } from '../../util/retry.js';
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
interface OllamaModule {
  Ollama: new (config: { host: string; headers?: Record<string, string>; fetch?: typeof fetch }) => OllamaClient;
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

  /**
   * One attempt on a fresh client: the signal reaches the request through fetch (the client's own
   * abort() only covers streams), and concurrent descriptions cannot cancel each other.
   */
  private async send(request: OllamaVisionRequest, watch: RequestWatch): Promise<OllamaVisionReply> {
    const { Ollama } = await importOptional<OllamaModule>('ollama', `Vision model "${this.id}"`);
    let retryAfter: string | null = null;
    const client = new Ollama({
      host: this.host,
      ...(this.settings.headers && { headers: this.settings.headers }),
      fetch: async (input, init) => {
        const signal = init?.signal ? AbortSignal.any([init.signal, watch.signal]) : watch.signal;
        watch.touch();
        const response = await fetch(input, { ...init, signal });
        watch.touch();
        retryAfter = response.headers.get('retry-after');
        if (response.ok) watch.markAnswered();
        return response;
      },
    });
    try {
      return await client.chat(request);
    } catch (error) {
      // The package reports HTTP errors as a ResponseError with status_code; retries need the status.
      const status = (error as { status_code?: unknown } | null)?.status_code;
      if (typeof status !== 'number') throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new StatusFailure(status, detail, retryAfter, { cause: error });
    }
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
