import { describe, expect, it, vi } from 'vitest';
import { compoundParts, indexText, normalizeWord, queryTerms } from '../../src/retrieval/analyzer.js';
import { englishPrior, termWeights } from '../../src/retrieval/term-similarity.js';

describe('compound splitting at indexing', () => {
  it('splits closed compounds into two common words', () => {
    expect(compoundParts('viewpoint', normalizeWord('viewpoint'))).toEqual(['view', 'point']);
    expect(compoundParts('Bloodstream', normalizeWord('Bloodstream'))).toEqual(['blood', 'stream']);
  });

  it('does not take a suffix or a stopword for a word, nor split short or non-ASCII words', () => {
    for (const word of ['signalling', 'specifically', 'assessing', 'furthermore', 'overcome', 'tram', 'Jerónimos']) {
      expect(compoundParts(word, normalizeWord(word)), word).toBeUndefined();
    }
  });

  it('appends the parts after all the words, and only in index text', () => {
    expect(indexText('The best viewpoint in Lisbon')).toBe('the best viewpoint in lisbon view point');
    expect(queryTerms('best viewpoint')).toEqual(['best', 'viewpoint']);
  });
});

describe('term weights smoothed towards general English', () => {
  it('tells a common word from a specific one at the same small-corpus df', () => {
    expect(englishPrior(normalizeWord('see'))).toBeGreaterThan(englishPrior(normalizeWord('tram')) * 100);
    expect(englishPrior('zzunknownword')).toBe(0);
    const stats = { documentFrequency: new Map([['see', 1], ['tram', 1]]), chunkCount: 50 };
    const weights = termWeights(['see', 'tram'], stats);
    expect(weights.get('tram')).toBeGreaterThan(weights.get('see') as number);
  });

  it('leaves a large corpus to its own counts', () => {
    const stats = { documentFrequency: new Map([['see', 5], ['tram', 500]]), chunkCount: 5000 };
    const weights = termWeights(['see', 'tram'], stats);
    expect(weights.get('see')).toBeGreaterThan(weights.get('tram') as number);
  });
});

describe('loading the word list', () => {
  it('builds the same statistics in slices as at once', async () => {
    vi.resetModules();
    const slicedWords = await import('../../src/retrieval/word-frequency.js');
    const sliced = await import('../../src/retrieval/term-similarity.js');
    await sliced.loadEnglishStatistics();
    const slicedTable = await slicedWords.loadEnglishFrequencies();
    vi.resetModules();
    const atOnceWords = await import('../../src/retrieval/word-frequency.js');
    const atOnce = await import('../../src/retrieval/term-similarity.js');
    const atOnceTable = atOnceWords.englishFrequencies();
    expect(slicedTable).not.toBe(atOnceTable);
    expect(slicedTable.total).toBe(atOnceTable.total);
    expect(slicedTable.words).toEqual(atOnceTable.words);
    const forms = [...new Set([...atOnceTable.words.keys()].map(normalizeWord))];
    expect(forms.map((form) => sliced.englishPrior(form))).toEqual(forms.map((form) => atOnce.englishPrior(form)));
  });
});
