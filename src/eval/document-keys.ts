import type { Qrels } from './metrics.js';

export interface DocumentRef {
  id: string;
  name: string;
}

/** "12345.txt" → "12345"; a name without a dot (or starting with one) stays as it is. */
export function nameWithoutExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

const aliasesOf = (doc: DocumentRef): string[] => [doc.id, doc.name, nameWithoutExtension(doc.name)];

/**
 * How the judgments name documents: a qrels key matches a document by its id, its name, or its
 * name without extension (in that order of preference).
 */
export class DocumentKeys {
  private readonly known = new Set<string>();
  private readonly allKeys = new Set<string>();

  constructor(
    documents: readonly DocumentRef[],
    private readonly qrels: Qrels,
  ) {
    for (const doc of documents) for (const alias of aliasesOf(doc)) this.known.add(alias);
    for (const judged of Object.values(qrels)) for (const key of Object.keys(judged)) this.allKeys.add(key);
  }

  /**
   * The id this document has in the run of `queryId`: the alias the query's judgments use, else
   * one any judgment uses, else its name without extension.
   */
  keyFor(queryId: string, doc: DocumentRef): string {
    const aliases = aliasesOf(doc);
    const judged = this.qrels[queryId] ?? {};
    return (
      aliases.find((alias) => Object.hasOwn(judged, alias)) ??
      aliases.find((alias) => this.allKeys.has(alias)) ??
      nameWithoutExtension(doc.name)
    );
  }

  /** BEIR's ignore_identical_ids, whichever way the document is named. */
  isQueryItself(queryId: string, doc: DocumentRef): boolean {
    return aliasesOf(doc).includes(queryId);
  }

  /** Relevant keys (grade > 0) that name no document of the datasets: a likely naming mistake. */
  unmatched(): string[] {
    const missing = new Set<string>();
    for (const judged of Object.values(this.qrels)) {
      for (const [key, grade] of Object.entries(judged)) if (grade > 0 && !this.known.has(key)) missing.add(key);
    }
    return [...missing];
  }
}
