import type { ChunkDraft, Section } from '../types.js';
import { mergeSources, PositionList } from '../source.js';
import { chunkNaive } from './naive.js';
import { buildOutline, sectionRuns, type OutlineItem, type OutlineNode, type SectionRun } from './hierarchy.js';
import { blockText, packRun, packSettings } from './section-pack.js';
import type { Chunker } from './types.js';

/**
 * The level of the articles: the deepest numbered division that has text of its own ("第十二条",
 * "Article 12", "§ 12"; in an outline-numbered text, its deepest numbers). Undefined without numbering.
 */
function articleLevel(items: readonly OutlineItem[]): number | undefined {
  let level: number | undefined;
  items.forEach((item, i) => {
    if (item.kind !== 'node' || !item.node.numbered) return;
    const next = items[i + 1];
    const hasText = !item.node.titleOnly || (next !== undefined && next.kind !== 'node');
    if (hasText && (level === undefined || item.node.level > level)) level = item.node.level;
  });
  return level;
}

/** The enclosing titles, each on its own line, as a law is printed. */
function titleLines(path: readonly OutlineNode[]): string[] {
  return path.map((n) => n.title);
}

/** An article, whatever its length, with the titles of its chapter (and part, section) above it. */
function articleChunk(run: SectionRun): ChunkDraft {
  const own = run.path.at(-1) as OutlineNode;
  const lines = [...titleLines(run.path.slice(0, -1)), ...(own.titleOnly ? [own.line] : []), ...run.body.map(blockText)];
  const positions = new PositionList(own.positions);
  let source = own.source;
  for (const block of run.body) {
    positions.add(block.kind === 'text' ? block.positions : (block.table.positions ?? []));
    const blockSource = block.kind === 'text' ? block.source : block.table.source;
    if (blockSource) source = mergeSources(source, blockSource);
  }
  return { content: lines.join('\n'), positions: positions.list, source: { ...source, headingPath: titleLines(run.path) } };
}

/** The runs before the first article as sections again, for naive chunking. */
function asSections(runs: readonly SectionRun[]): Section[] {
  const sections: Section[] = [];
  const emitted = new Set<OutlineNode>();
  for (const run of runs) {
    for (const node of run.path) {
      if (emitted.has(node)) continue;
      emitted.add(node);
      sections.push({ kind: 'heading', text: node.line, level: node.level, positions: node.positions, ...(node.source && { source: node.source }) });
    }
    for (const block of run.body) {
      sections.push(block.kind === 'table' ? block.table : { kind: 'text', text: block.text, positions: block.positions, ...(block.source && { source: block.source }) });
    }
  }
  return sections;
}

/**
 * RAGFlow's "laws": the article is the unit. Every article becomes exactly one chunk holding its
 * whole text, never split even past the budget (a clause read without the rest of its article can
 * say the opposite of the law), and never merged with its neighbours: one article per chunk keeps
 * retrieval precise and lets an answer cite the article. The chunk opens with the enclosing titles
 * on their own lines ("Chapter 2 Obligations\nArticle 12 …") so it reads alone. The preamble before
 * the first article is chunked as naive does; text between articles that belongs to no article (a
 * chapter's introduction) is packed under its titles.
 */
export const lawsChunker: Chunker = {
  method: 'laws',
  accepts: ['docx', 'pdf', 'txt', 'html', 'md', 'epub'],
  async chunk(parsed, context): Promise<ChunkDraft[]> {
    const signal = context.signal && { signal: context.signal };
    const naive = (sections: readonly Section[]): Promise<ChunkDraft[]> =>
      chunkNaive(sections, { chunkTokenNum: context.chunkTokenNum, delimiter: context.delimiter }, { ...signal });
    const outline = await buildOutline(parsed.sections, { ...signal });
    const level = articleLevel(outline.items);
    if (level === undefined) return naive(parsed.sections);

    const runs = sectionRuns(outline.items, level);
    const isArticle = (run: SectionRun): boolean => {
      const own = run.path.at(-1);
      return own !== undefined && own.numbered && own.level === level;
    };
    const first = runs.findIndex(isArticle);
    const drafts = await naive(asSections(runs.slice(0, first)));
    const settings = packSettings(context);
    for (const run of runs.slice(first)) {
      await settings.yielder.tick();
      if (isArticle(run)) {
        drafts.push(articleChunk(run));
        continue;
      }
      drafts.push(...(await packRun(run, titleLines(run.path).join('\n'), settings)));
    }
    return drafts;
  },
};
