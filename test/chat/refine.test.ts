import { describe, expect, it } from 'vitest';
import { extractKeywords, refineQuestion, withKeywords } from '../../src/chat/refine.js';
import type { ChatMessage } from '../../src/llm/types.js';
import { ScriptedModel } from './fake-models.js';

const history: ChatMessage[] = [
  { role: 'user', content: 'Who wrote Dune?' },
  { role: 'assistant', content: 'Frank Herbert.' },
  { role: 'user', content: 'When was he born?' },
];

describe('refineQuestion', () => {
  it('asks the model for one standalone question, at temperature 0.2, showing the conversation', async () => {
    const model = new ScriptedModel('m@Test', 8192, () => '  When was Frank Herbert born?\n');
    expect(await refineQuestion(model, history)).toBe('When was Frank Herbert born?');
    const request = model.requests[0]!;
    expect(request.settings?.temperature).toBe(0.2);
    const prompt = request.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('USER: Who wrote Dune?');
    expect(prompt).toContain('ASSISTANT: Frank Herbert.');
    expect(prompt).toContain('USER: When was he born?');
    expect(prompt).toMatch(/standalone question/i);
  });

  it('falls back to the last user message when the model fails or says nothing', async () => {
    const failing = new ScriptedModel();
    failing.fail = new Error('connection refused');
    expect(await refineQuestion(failing, history)).toBe('When was he born?');
    const silent = new ScriptedModel('m@Test', 8192, () => '   ');
    expect(await refineQuestion(silent, history)).toBe('When was he born?');
  });

  it('does not swallow a cancellation', async () => {
    const model = new ScriptedModel();
    const controller = new AbortController();
    controller.abort();
    model.fail = controller.signal.reason as Error;
    await expect(refineQuestion(model, history, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('extractKeywords', () => {
  it('asks for the top 3 keywords, comma separated, in the question language', async () => {
    const model = new ScriptedModel('m@Test', 8192, () => 'Frank Herbert, birth date, Dune\n');
    expect(await extractKeywords(model, 'When was Frank Herbert born?')).toBe('Frank Herbert, birth date, Dune');
    const prompt = model.requests[0]!.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('When was Frank Herbert born?');
    expect(prompt).toMatch(/3/);
    expect(prompt).toMatch(/comma/i);
    expect(prompt).toMatch(/language/i);
  });

  it('is ignored when the model fails', async () => {
    const model = new ScriptedModel();
    model.fail = new Error('HTTP 500');
    expect(await extractKeywords(model, 'q')).toBe('');
    expect(withKeywords('q', '')).toBe('q');
    expect(withKeywords('q', 'a, b')).toBe('q,a, b');
  });
});
