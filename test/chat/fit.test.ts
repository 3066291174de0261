import { describe, expect, it } from 'vitest';
import { fitMessages, generationMaxTokens, promptLimit, truncateTokens } from '../../src/chat/fit.js';
import { countTokens } from '../../src/ingest/tokens.js';
import type { ChatMessage } from '../../src/llm/types.js';

const words = (n: number, word = 'apple'): string => Array.from({ length: n }, () => word).join(' ');
const tokens = (messages: readonly ChatMessage[]): number => messages.reduce((s, m) => s + countTokens(m.content), 0);

describe('fitMessages', () => {
  it('keeps everything that fits', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
    ];
    const fitted = fitMessages(messages, 100);
    expect(fitted.messages).toEqual(messages);
    expect(fitted.used).toBe(tokens(messages));
  });

  it('drops the history, keeping the system prompt and the question, when it is too long', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: words(20) },
      { role: 'user', content: words(200) },
      { role: 'assistant', content: words(200) },
      { role: 'user', content: 'final question' },
    ];
    const fitted = fitMessages(messages, 100);
    expect(fitted.messages).toEqual([messages[0], messages[3]]);
    expect(fitted.used).toBeLessThanOrEqual(100);
  });

  it('truncates the system prompt when it is over 80% of the pair', () => {
    const fitted = fitMessages(
      [
        { role: 'system', content: words(500) },
        { role: 'user', content: 'short question here' },
      ],
      100,
    );
    expect(fitted.messages[1]?.content).toBe('short question here');
    expect(fitted.messages[0]?.content.startsWith('apple apple')).toBe(true);
    expect(fitted.used).toBeLessThanOrEqual(100);
    expect(fitted.used).toBeGreaterThan(90);
  });

  it('truncates the question when the system prompt is the smaller part', () => {
    const fitted = fitMessages(
      [
        { role: 'system', content: words(40) },
        { role: 'user', content: words(400, 'pear') },
      ],
      100,
    );
    expect(fitted.messages[0]?.content).toBe(words(40));
    expect(fitted.messages[1]?.content.startsWith('pear pear')).toBe(true);
    expect(fitted.used).toBeLessThanOrEqual(100);
    // The cut question fills what the system prompt leaves, not merely something under the limit.
    expect(countTokens(fitted.messages[1]!.content)).toBe(60);
  });

  it('never overflows, whatever the sizes (multi-byte text included)', () => {
    for (const [sys, q] of [
      [5000, 5000],
      [50, 5000],
      [5000, 50],
      [0, 3000],
    ] as const) {
      const messages: ChatMessage[] = [
        ...(sys > 0 ? [{ role: 'system' as const, content: '知识库内容。'.repeat(sys / 5) }] : []),
        { role: 'user', content: 'émoji 🎉 '.repeat(q / 5) },
      ];
      const limit = promptLimit(1000);
      const fitted = fitMessages(messages, limit);
      expect(tokens(fitted.messages)).toBeLessThanOrEqual(limit);
      expect(fitted.used).toBe(tokens(fitted.messages));
    }
  });
});

describe('limits', () => {
  it('97% of the context window is the prompt limit', () => {
    expect(promptLimit(8192)).toBe(7946);
  });

  it('the answer budget is the smaller of max_tokens and what the window leaves', () => {
    expect(generationMaxTokens(512, 8192, 1000)).toBe(512);
    expect(generationMaxTokens(512, 8192, 7900)).toBe(292);
  });

  it('truncateTokens keeps a prefix within the budget', () => {
    const cut = truncateTokens(words(100), 10);
    // Exactly 10: "within the budget" alone would also hold for an empty or over-short prefix.
    expect(countTokens(cut)).toBe(10);
    expect(words(100).startsWith(cut)).toBe(true);
    expect(truncateTokens('short', 10)).toBe('short');
    expect(truncateTokens('short', 0)).toBe('');
  });
});
