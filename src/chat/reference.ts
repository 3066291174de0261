import type { ChatReference, RetrievalResult } from '../types.js';

/**
 * RAGFlow's reference object. Its doc_aggs name the documents the answer actually cites, so a
 * client listing "sources" shows those; with no citation every retrieved document stays listed.
 */
export function buildReference(retrieval: RetrievalResult, cited: ReadonlySet<number>): ChatReference {
  const citedDocuments = new Set<string>();
  for (const index of cited) {
    const chunk = retrieval.chunks[index];
    if (chunk) citedDocuments.add(chunk.documentId);
  }
  const reduced = retrieval.docAggs.filter((agg) => citedDocuments.has(agg.docId));
  return {
    total: retrieval.total,
    chunks: retrieval.chunks,
    docAggs: reduced.length > 0 ? reduced : retrieval.docAggs,
  };
}
