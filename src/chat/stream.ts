import { countTokens } from '../ingest/tokens.js';

/**
 * RAGFlow SEED's streaming cadence: a model's text deltas become cumulative snapshots, one
 * whenever at least `minTokens` new tokens have arrived (so a client is not flooded with one event
 * per token), and one for whatever is left at the end.
 */

export const STREAM_MIN_TOKENS = 16;

export async function* cumulative(deltas: AsyncIterable<string>, minTokens = STREAM_MIN_TOKENS): AsyncGenerator<string> {
  let answer = '';
  let emitted = 0;
  for await (const delta of deltas) {
    answer += delta;
    if (countTokens(answer.slice(emitted)) < minTokens) continue;
    emitted = answer.length;
    yield answer;
  }
  if (answer.length > emitted) yield answer;
}
