import { describe, expect, it } from 'vitest';
import { EXTRACTIVE_NOT_FOUND, ExtractiveChatModel, extractAnswer, wordGroups } from '../../src/llm/extractive.js';
import { splitSentences } from '../../src/llm/sentences.js';
import { htmlToText } from '../../src/util/html-text.js';
import type { ChatRequest, GroundingContext } from '../../src/llm/types.js';
import { collect, describeChatModelContract } from './contract.js';

const CHUNKS = [
  {
    content:
      'RAGFlow is an open-source RAG engine. It parses documents into chunks! Chunks are embedded and stored for retrieval.',
  },
  { content: 'The Eiffel Tower is in Paris. It was completed in 1889 for the World Fair.' },
  { content: 'Photosynthesis turns light into chemical energy. Plants do it in their leaves.' },
];

const grounded = (question: string, chunks: GroundingContext['chunks'] = CHUNKS): ChatRequest => ({
  messages: [{ role: 'user', content: question }],
  grounding: { question, chunks },
});

describeChatModelContract('extractive@Builtin', async () => ({
  model: new ExtractiveChatModel(),
  request: grounded('When was the Eiffel Tower completed?'),
  longRequest: grounded('When was the Eiffel Tower completed?'),
  cleanup: async () => undefined,
}));

describe('ExtractiveChatModel', () => {
  it('answers with the matching sentence of the right chunk, verbatim', async () => {
    const { text } = await new ExtractiveChatModel().generate(grounded('In which year was the Eiffel Tower completed?'));
    expect(text).toBe('The Eiffel Tower is in Paris. It was completed in 1889 for the World Fair.');
  });

  it('weights rare question terms above common ones', () => {
    // "chunks" is in two sentences, "retrieval" in one: the rarer term decides.
    const answer = extractAnswer({ question: 'chunks retrieval', chunks: CHUNKS });
    expect(answer.startsWith('Chunks are embedded and stored for retrieval.')).toBe(true);
    expect(extractAnswer({ question: 'photosynthesis', chunks: CHUNKS })).toBe(
      'Photosynthesis turns light into chemical energy.',
    );
  });

  it('says nothing was found when no sentence shares a term with the question, or there is no grounding', async () => {
    const model = new ExtractiveChatModel();
    expect((await model.generate(grounded('quantum chromodynamics lattice'))).text).toBe(EXTRACTIVE_NOT_FOUND);
    expect((await model.generate(grounded('anything', []))).text).toBe(EXTRACTIVE_NOT_FOUND);
    expect((await model.generate({ messages: [{ role: 'user', content: 'Eiffel Tower?' }] })).text).toBe(EXTRACTIVE_NOT_FOUND);
  });

  it('answers with at most three sentences, in chunk order', () => {
    const chunks = [
      { content: 'Alpha one mentions the tower. Nothing here.' },
      { content: 'Beta two mentions the tower too.' },
      { content: 'Gamma three has the tower. Delta four has the tower as well.' },
    ];
    const answer = extractAnswer({ question: 'tower', chunks });
    expect(answer).toBe('Alpha one mentions the tower. Beta two mentions the tower too. Gamma three has the tower.');
  });

  it('handles CJK sentences and HTML table chunks', () => {
    const cjk = [{ content: '北京是中国的首都。上海是一个大城市！天气很好' }];
    expect(extractAnswer({ question: '中国的首都是哪里', chunks: cjk })).toBe('北京是中国的首都。');
    const table = [
      { content: '<table><caption>Prices</caption><tr><th>Plan</th><th>Price</th></tr><tr><td>Basic</td><td>10 &amp; up</td></tr><tr><td>Premium</td><td>25</td></tr></table>' },
    ];
    expect(extractAnswer({ question: 'How much is Premium?', chunks: table })).toBe('Premium | 25');
    expect(extractAnswer({ question: 'What does Basic cost?', chunks: table })).toBe('Basic | 10 & up');
  });

  it('streams a few word groups that add up to the answer', async () => {
    const request = grounded('What does RAGFlow parse documents into?');
    const deltas = await collect(new ExtractiveChatModel().stream(request));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe((await new ExtractiveChatModel().generate(request)).text);
    expect(wordGroups('a b c d e f')).toEqual(['a b c d ', 'e f']);
  });

  it('has a large context window and the canonical id', () => {
    const model = new ExtractiveChatModel();
    expect(model.id).toBe('extractive@Builtin');
    expect(model.contextTokens).toBeGreaterThanOrEqual(1_000_000);
  });
});

describe('sentences', () => {
  it('splits on English and CJK sentence ends and on line breaks, keeping closing quotes', () => {
    expect(splitSentences('One. "Two!" Three?\nFour 3.5 GHz\n\n')).toEqual(['One.', '"Two!"', 'Three?', 'Four 3.5 GHz']);
    expect(splitSentences('他说：“好。”然后走了。再见')).toEqual(['他说：“好。”', '然后走了。', '再见']);
  });

  it('turns table HTML into one line per row', () => {
    expect(htmlToText('<table><tr><td>a</td><td>b&#39;s</td></tr><tr><td>c</td><td>&#x4e2d;</td></tr></table>').trim().split(/\s*\n\s*/)).toEqual([
      "a | b's",
      'c | 中',
    ]);
  });
});

describe('sentences of hard-wrapped text', () => {
  it('joins lines wrapped inside a sentence, keeps headings and list items apart', async () => {
    const { splitSentences } = await import('../../src/llm/sentences.js');
    expect(splitSentences('The forager tells her sisters where it is by dancing on the\ncomb in the dark hive.\nHeading\n- item one')).toEqual([
      'The forager tells her sisters where it is by dancing on the comb in the dark hive.',
      'Heading',
      '- item one',
    ]);
  });
});
