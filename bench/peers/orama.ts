import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';
import type { PeerEngine, PeerInput } from './types.js';

/**
 * Common English function words. Orama ships none by default (its separate stopwords package is not
 * a dependency here); without them its prefix-matching BM25 ranks SciFact far worse (BASELINES.md).
 */
const ENGLISH_STOPWORDS = (
  'a about above after again against all am an and any are as at be because been before being below between both but by ' +
  'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
  'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
  'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
  'these they this those through to too under until up very was we were what when where which while who whom why will ' +
  'with would you your yours yourself yourselves'
).split(' ');

/**
 * @orama/orama hybrid search: full-text (BM25, English stopwords, default tokenizer) + vector
 * (cosine, plain-array vectors) with the default 0.5/0.5 weights, and the vector similarity cut-off
 * set to 0 (the default 0.8 would drop almost every hash vector).
 */
export function oramaEngine(): PeerEngine {
  let db: AnyOrama | undefined;
  return {
    name: '@orama/orama',
    async build({ texts, vectors }: PeerInput) {
      db = create({
        schema: { text: 'string', embedding: 'vector[256]' } as const,
        components: { tokenizer: { language: 'english', stopWords: ENGLISH_STOPWORDS } },
      });
      const docs = texts.map((text, i) => ({ id: String(i), text, embedding: Array.from(vectors[i] as Float32Array) }));
      await insertMultiple(db, docs, 1000);
    },
    async search(question, vector, k) {
      if (!db) throw new Error('not built');
      const result = await search(db, {
        mode: 'hybrid',
        term: question,
        properties: ['text'],
        vector: { value: Array.from(vector), property: 'embedding' },
        similarity: 0,
        limit: k,
      });
      return result.hits.map((h) => Number(h.id));
    },
    async close() {
      db = undefined;
    },
  };
}
