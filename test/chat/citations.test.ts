import { describe, expect, it } from 'vitest';
import { insertCitations, stripCitations, type CitableChunk, type CitationInput } from '../../src/chat/citations.js';
import { splitSentences } from '../../src/chat/sentences.js';
import { analyze } from '../../src/retrieval/analyzer.js';

const CHUNKS = [
  'Photosynthesis converts light energy into chemical energy inside chloroplasts.',
  'Plate tectonics explains earthquakes, volcanoes and the drift of continents.',
  'Mitochondria produce ATP through cellular respiration in eukaryotic cells.',
];

const citable = (content: string, vector?: Float32Array): CitableChunk => ({
  terms: new Set(analyze(content).map((t) => t.term)),
  vector,
});

// Every term equally rare: a sentence's term similarity is then the share of its terms a chunk has.
const flatStatistics: CitationInput['statistics'] = async () => ({ documentFrequency: new Map(), chunkCount: 10 });

const termsOnly = (answer: string, chunks: readonly CitableChunk[]): Promise<{ answer: string; cited: ReadonlySet<number> }> =>
  insertCitations({
    answer,
    chunks,
    vectorSimilarityWeight: 0,
    embed: () => Promise.reject(new Error('must not embed at weight 0')),
    statistics: flatStatistics,
  });

describe('splitSentences', () => {
  it('keeps the terminator with its sentence and joins back to the input', () => {
    const answer = 'First point here. Second one?\nThird line。第四句！ end';
    const pieces = splitSentences(answer).map((p) => p.text);
    expect(pieces.join('')).toBe(answer);
    expect(pieces).toEqual(['First point here.', ' Second one?', '\n', 'Third line。', '第四句！', ' end']);
  });

  it('does not split numbers, upper-case abbreviations or table rows', () => {
    expect(splitSentences('Pi is 3.14 roughly. Done').map((p) => p.text)).toEqual(['Pi is 3.14 roughly.', ' Done']);
    expect(splitSentences('Made in the USA. Run node.js now').length).toBe(1);
    expect(splitSentences('| a | b |\n| c | d |').map((p) => p.text)).toEqual(['| a | b |\n| c | d |']);
  });

  it('keeps a fenced block whole, even with terminators inside', () => {
    const answer = 'Run this:\n```sh\necho one.\necho two!\n```\nDone here.';
    const pieces = splitSentences(answer);
    expect(pieces.map((p) => p.text).join('')).toBe(answer);
    expect(pieces.filter((p) => p.code).map((p) => p.text)).toEqual(['```sh\necho one.\necho two!\n```']);
  });
});

describe('insertCitations', () => {
  it('cites the chunk a sentence was copied from, by its index', async () => {
    const answer = `Here is what I found. ${CHUNKS[2]} That is all.`;
    const result = await termsOnly(answer, CHUNKS.map((c) => citable(c)));
    expect(result.answer).toBe(`Here is what I found. ${CHUNKS[2]} ##2$$ That is all.`);
    expect([...result.cited]).toEqual([2]);
  });

  it('cites at most 4 chunks per sentence, best first', async () => {
    const same = Array.from({ length: 6 }, () => citable(CHUNKS[0]!));
    const result = await termsOnly(CHUNKS[0]!, same);
    expect(result.answer).toBe(`${CHUNKS[0]} ##0$$ ##1$$ ##2$$ ##3$$`);
    expect(result.cited.size).toBe(4);
  });

  it('cites each chunk once per answer, where it first matches', async () => {
    const answer = `${CHUNKS[1]}\n${CHUNKS[1]}\n${CHUNKS[0]}`;
    const result = await termsOnly(answer, CHUNKS.map((c) => citable(c)));
    expect(result.answer).toBe(`${CHUNKS[1]} ##1$$\n${CHUNKS[1]}\n${CHUNKS[0]} ##0$$`);
  });

  describe('threshold schedule (0.63, then ×0.8 while above 0.3, only while nothing is cited)', () => {
    // Five content terms per sentence; the chunks hold some of them.
    const sentence = 'Alpha bravo charlie delta echo.';
    const chunkWith = (n: number): CitableChunk =>
      citable(['alpha', 'bravo', 'charlie', 'delta', 'echo'].slice(0, n).join(' ') + ' zulu');

    it('cites a 3/5 match at the second threshold (0.504) when nothing better exists', async () => {
      const result = await termsOnly(sentence, [chunkWith(3)]);
      expect(result.answer).toBe(`${sentence} ##0$$`);
    });

    it('cites a 2/5 match only at the last threshold (0.323)', async () => {
      // 0.99 × 0.4 = 0.396: below 0.403, above 0.323.
      const result = await termsOnly(sentence, [chunkWith(2)]);
      expect(result.answer).toBe(`${sentence} ##0$$`);
    });

    it('never cites a 1/5 match', async () => {
      const result = await termsOnly(sentence, [chunkWith(1)]);
      expect(result.answer).toBe(sentence);
      expect(result.cited.size).toBe(0);
    });

    it('does not lower the bar once a sentence passes the first one', async () => {
      const answer = `${sentence} ${CHUNKS[2]}`;
      const result = await termsOnly(answer, [chunkWith(3), citable(CHUNKS[2]!)]);
      expect(result.answer).toBe(`${sentence} ${CHUNKS[2]} ##1$$`);
      expect([...result.cited]).toEqual([1]);
    });
  });

  it('leaves fenced code untouched and uncited', async () => {
    const answer = `Example:\n\`\`\`\n${CHUNKS[2]}\n\`\`\`\n`;
    const result = await termsOnly(answer, CHUNKS.map((c) => citable(c)));
    expect(result.answer).toBe(answer);
    expect(result.cited.size).toBe(0);
  });

  it('ignores pieces under 5 characters', async () => {
    const result = await termsOnly('ATP.\nok!\n', [citable('ATP ok')]);
    expect(result.answer).toBe('ATP.\nok!\n');
  });

  it('strips markers already in the answer before placing its own', async () => {
    const result = await termsOnly(`${CHUNKS[0]} ##7$$ ##2$$`, CHUNKS.map((c) => citable(c)));
    expect(result.answer).toBe(`${CHUNKS[0]} ##0$$`);
    expect(stripCitations('a ##1$$ b ##22$$.')).toBe('a b.');
  });

  it('uses the vector half at weight 1: the sentence cites the chunk whose vector it shares', async () => {
    const v = (x: number, y: number): Float32Array => Float32Array.from([x, y]);
    const embedded: string[] = [];
    const result = await insertCitations({
      answer: 'Completely unrelated words here.',
      chunks: [citable('zzz', v(1, 0)), citable('yyy', v(0, 1))],
      vectorSimilarityWeight: 1,
      embed: async (texts) => {
        embedded.push(...texts);
        return texts.map(() => v(0, 1));
      },
      statistics: flatStatistics,
    });
    expect(embedded).toEqual(['Completely unrelated words here.']);
    expect(result.answer).toBe('Completely unrelated words here. ##1$$');
  });
});
