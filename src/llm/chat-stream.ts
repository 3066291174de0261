import type { TokenUsage } from './types.js';

/**
 * What the providers' stream() returns: plain text deltas, plus the token counts the server
 * reported, readable once iteration has ended (ChatModel.stream only promises the deltas).
 */
export interface ChatStream extends AsyncIterable<string> {
  readonly usage: TokenUsage | undefined;
}

/** Each iteration runs `produce` afresh, i.e. sends a new request. */
export function chatStream(produce: (report: (usage: TokenUsage) => void) => AsyncGenerator<string>): ChatStream {
  let usage: TokenUsage | undefined;
  return {
    get usage() {
      return usage;
    },
    [Symbol.asyncIterator]: () =>
      produce((reported) => {
        usage = reported;
      }),
  };
}

export function tokenUsage(promptTokens: unknown, completionTokens: unknown): TokenUsage | undefined {
  const usage: TokenUsage = {};
  if (typeof promptTokens === 'number' && Number.isFinite(promptTokens)) usage.promptTokens = promptTokens;
  if (typeof completionTokens === 'number' && Number.isFinite(completionTokens)) usage.completionTokens = completionTokens;
  return Object.keys(usage).length > 0 ? usage : undefined;
}
