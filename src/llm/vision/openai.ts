import { openAIEndpoint } from '../../util/openai-endpoint.js';
import { retryPolicy, withRetries, type RetryPolicy } from '../../util/retry.js';
import { postChatCompletions } from '../openai-post.js';
import { parseCompletion } from '../openai-wire.js';
import { RequestWatch } from '../request-watch.js';
import type { ChatProviderSettings } from '../types.js';
import { visionFailure, type VisionEndpoint } from './failure.js';
import { DEFAULT_VISION_TIMEOUT_MS, describeRequest, type VisionModelOptions } from './options.js';
import type { DescribeImageOptions, VisionModel } from './types.js';

/**
 * `<model>@OpenAI` (or `@OpenAI-API-Compatible`) looking at an image: one chat-completions request
 * whose user message holds the prompt and the image as a data URL, the way OpenAI, vLLM, LM Studio
 * and llama.cpp servers take pictures.
 */

type OpenAISettings = NonNullable<ChatProviderSettings['openai']>;

export interface OpenAIVisionOptions extends VisionModelOptions {
  /** Provider name used in `id`; default 'OpenAI'. */
  providerName?: string;
}

export class OpenAIVisionModel implements VisionModel {
  readonly id: string;
  readonly baseURL: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(
    readonly model: string,
    private readonly settings: OpenAISettings = {},
    options: OpenAIVisionOptions = {},
  ) {
    this.id = `${model}@${options.providerName ?? 'OpenAI'}`;
    ({ baseURL: this.baseURL, apiKey: this.apiKey } = openAIEndpoint(settings));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VISION_TIMEOUT_MS;
    this.retry = retryPolicy(options);
  }

  async describe(image: Uint8Array, options: DescribeImageOptions): Promise<string> {
    const { base64, prompt } = describeRequest(image, options);
    const body = JSON.stringify({
      model: this.model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: prompt },
            { type: 'image_url', image_url: { url: `data:${options.mimeType};base64,${base64}` } },
          ],
        },
      ],
      stream: false,
    });
    const watch = new RequestWatch(options.signal, this.timeoutMs);
    try {
      const target = { id: this.id, baseURL: this.baseURL, apiKey: this.apiKey, headers: this.settings.headers };
      const attempt = (): Promise<Response> => postChatCompletions(target, body, 'application/json', watch);
      const response = await withRetries(attempt, this.retry, watch.signal);
      return parseCompletion(await response.text(), this.source()).text.trim();
    } catch (error) {
      throw visionFailure(error, watch, this.endpoint());
    } finally {
      watch.dispose();
    }
  }

  private source(): string {
    return `The vision API at ${this.baseURL} (${this.id})`;
  }

  private endpoint(): VisionEndpoint {
    return {
      source: this.source(),
      missingModel: `${this.source()} does not know the model "${this.model}" (check the model name and baseURL)`,
      credentials: 'providers.openai.apiKey or OPENAI_API_KEY',
    };
  }
}
