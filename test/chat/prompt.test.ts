import { describe, expect, it } from 'vitest';
import {
  buildKnowledge,
  conversation,
  formatSystemPrompt,
  lastUserMessage,
  recentTurns,
} from '../../src/chat/prompt.js';
import { RagFlowError } from '../../src/errors.js';
import { countTokens } from '../../src/ingest/tokens.js';
import type { SessionMessage } from '../../src/types.js';

const msg = (role: 'user' | 'assistant', content: string): SessionMessage => ({ id: 'x', role, content, createTime: 0 });

describe('buildKnowledge', () => {
  it('joins chunk contents with the SEED separator', () => {
    const { text, used } = buildKnowledge([{ content: 'one' }, { content: 'two' }], 1000);
    expect(text).toBe('one\n\n------\n\ntwo');
    expect(used).toBe(2);
  });

  it('keeps only the leading chunks that fit the budget', () => {
    const chunk = { content: 'word '.repeat(50).trim() };
    const { text, used } = buildKnowledge([chunk, chunk, chunk], 120);
    expect(used).toBe(2);
    expect(countTokens(text)).toBeLessThanOrEqual(120);
    expect(buildKnowledge([chunk], 10)).toEqual({ text: '', used: 0 });
  });
});

describe('formatSystemPrompt', () => {
  const variables = [
    { key: 'knowledge', optional: false },
    { key: 'user', optional: false },
    { key: 'date', optional: true },
  ];

  it('fills knowledge and the declared variables, and leaves other braces alone', () => {
    const prompt = formatSystemPrompt('Hi {user} on {date}. {"json": 1}\n{knowledge}', variables, { user: 'Ann', date: 'Monday' }, 'K');
    expect(prompt).toBe('Hi Ann on Monday. {"json": 1}\nK');
  });

  it('replaces a missing optional variable by a space', () => {
    expect(formatSystemPrompt('[{date}] {user}', variables, { user: 'Bo' }, '')).toBe('[ ] Bo');
  });

  it('refuses a missing required variable with code 102 "Miss parameter"', () => {
    let error: unknown;
    try {
      formatSystemPrompt('{user}', variables, {}, '');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).code).toBe(102);
    expect((error as RagFlowError).message).toBe('Miss parameter: user');
  });

  it('does not fill placeholders that arrive inside the knowledge', () => {
    expect(formatSystemPrompt('{knowledge} {date}', variables, { user: 'u', date: 'D' }, 'chunk says {date}')).toBe(
      'chunk says {date} D',
    );
  });
});

describe('conversation', () => {
  it('drops the opener and strips old citation markers', () => {
    const history = conversation([
      msg('assistant', 'Hi! How can I help?'),
      msg('user', 'What is ATP?'),
      msg('assistant', 'An energy carrier. ##0$$ ##3$$'),
      msg('user', 'Where is it made?'),
    ]);
    expect(history).toEqual([
      { role: 'user', content: 'What is ATP?' },
      { role: 'assistant', content: 'An energy carrier.' },
      { role: 'user', content: 'Where is it made?' },
    ]);
    expect(lastUserMessage(history)).toBe('Where is it made?');
  });

  it('recentTurns keeps the last 3 user turns with the replies between them', () => {
    const history = conversation(
      ['q1', 'a1', 'q2', 'a2', 'q3', 'a3', 'q4'].map((c) => msg(c.startsWith('q') ? 'user' : 'assistant', c)),
    );
    expect(recentTurns(history).map((m) => m.content)).toEqual(['q2', 'a2', 'q3', 'a3', 'q4']);
    expect(recentTurns(history.slice(0, 3)).map((m) => m.content)).toEqual(['q1', 'a1', 'q2']);
  });
});
