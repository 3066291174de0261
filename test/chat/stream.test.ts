import { describe, expect, it } from 'vitest';
import { cumulative } from '../../src/chat/stream.js';
import { countTokens } from '../../src/ingest/tokens.js';

async function* from(deltas: readonly string[]): AsyncGenerator<string> {
  for (const d of deltas) yield d;
}

const collect = async (it: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('cumulative', () => {
  it('emits the whole answer so far once 16 new tokens have arrived, plus a tail', async () => {
    // " word" is one cl100k token: 40 deltas → events at 16 and 32, then a tail of 8.
    const deltas = Array.from({ length: 40 }, () => ' word');
    const events = await collect(cumulative(from(deltas)));
    expect(events.map(countTokens)).toEqual([16, 32, 40]);
    expect(events[2]).toBe(deltas.join(''));
    for (let i = 1; i < events.length; i++) expect(events[i]!.startsWith(events[i - 1]!)).toBe(true);
  });

  it('sends no tail when the last event already had everything', async () => {
    const events = await collect(cumulative(from(Array.from({ length: 32 }, () => ' word'))));
    expect(events.map(countTokens)).toEqual([16, 32]);
  });

  it('short answers arrive as one event; no deltas, no event', async () => {
    expect(await collect(cumulative(from(['Hi', ' there', '.'])))).toEqual(['Hi there.']);
    expect(await collect(cumulative(from([])))).toEqual([]);
  });

  it('counts tokens across deltas, not deltas', async () => {
    const events = await collect(cumulative(from([' word'.repeat(15), ' word'.repeat(3)]), 16));
    expect(events.map(countTokens)).toEqual([18]);
  });
});
