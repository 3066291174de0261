import type { ChunkSource } from '../../types.js';
import type { ChunkDraft } from '../types.js';
import { mergeSources, PositionList } from '../source.js';
import { buildOutline, sectionRuns, type Block, type OutlineItem } from './hierarchy.js';
import { blockText, packRun, packSection, packSettings, pathLine, tokensWithin, type PackSettings } from './section-pack.js';
import type { Chunker } from './types.js';

/** Section names a paper uses without numbers; in plain text a line holding only one is a heading. */
const NAMED_SECTION =
  /^(?:abstract|introduction|background|related work|methods?|methodology|materials and methods|experiments?|results|discussion|conclusions?|limitations|acknowledge?ments?|references|bibliography|appendix(?:\s+[A-Z])?|摘\s*要|引\s*言|结\s*论|参考文献|致\s*谢)\s*[:：.]?$/iu;

/** "Abstract", "Abstract—We present …", "ABSTRACT: …", "摘要：…". */
const ABSTRACT = /^\s*(abstract|摘\s*要)(?![A-Za-z])/iu;

function itemText(item: OutlineItem): string {
  return item.kind === 'node' ? item.node.line : blockText(item);
}

/** One chunk of consecutive items, kept whole. */
function wholeDraft(items: readonly OutlineItem[], headingPath: string[] | undefined): ChunkDraft {
  const positions = new PositionList();
  let source: ChunkSource | undefined;
  for (const item of items) {
    positions.add(item.kind === 'table' ? (item.table.positions ?? []) : item.kind === 'node' ? item.node.positions : item.positions);
    const s = item.kind === 'table' ? item.table.source : item.kind === 'node' ? item.node.source : item.source;
    if (s) source = mergeSources(source, s);
  }
  const withPath = headingPath ? { ...source, headingPath } : source;
  return { content: items.map(itemText).join('\n'), positions: positions.list, ...(withPath && { source: withPath }) };
}

/** Where the abstract starts and ends (exclusive), among the items before the first numbered section. */
function findAbstract(items: readonly OutlineItem[]): { start: number; end: number; name: string } | undefined {
  const firstNumbered = items.findIndex((item) => item.kind === 'node' && item.node.numbered);
  const searchEnd = firstNumbered < 0 ? items.length : firstNumbered;
  for (let i = 0; i < searchEnd; i++) {
    const item = items[i] as OutlineItem;
    const text = item.kind === 'node' ? item.node.title : item.kind === 'text' ? item.text : '';
    const m = ABSTRACT.exec(text);
    if (!m) continue;
    let end = i + 1;
    while (end < items.length && items[end]?.kind !== 'node') end++;
    const name = (m[1] as string).replace(/\s+/g, '');
    return { start: i, end, name: item.kind === 'node' ? item.node.title : name.charAt(0).toUpperCase() + name.slice(1).toLowerCase() };
  }
  return undefined;
}

/** Title and authors: everything before the abstract, or else before the first heading after the title. */
function frontMatterEnd(items: readonly OutlineItem[]): number {
  const next = items.findIndex((item, i) => i > 0 && item.kind === 'node');
  return next < 0 ? 0 : next;
}

async function frontMatter(items: readonly OutlineItem[], settings: PackSettings): Promise<ChunkDraft[]> {
  if (items.length === 0) return [];
  const draft = wholeDraft(items, undefined);
  // A paper whose structure was not recognised would otherwise become one enormous chunk.
  if (tokensWithin(draft.content, 2 * settings.budget) <= 2 * settings.budget) return [draft];
  const body: Block[] = items.map((item) => (item.kind === 'node' ? { kind: 'text', text: item.node.line, positions: item.node.positions } : item));
  return packSection({ header: '', headerPositions: [], body }, settings);
}

/**
 * RAGFlow's "paper": the title and authors form the first chunk; the abstract is one chunk however
 * long, since it is the summary a question about the paper most often needs whole; then each
 * section in reading order, chunked within the section (never two sections in one chunk) and
 * opening with its section path ("3 Results > 3.1 Accuracy"). The references are kept and chunked
 * like any section, as RAGFlow keeps them: questions about cited work find them.
 */
export const paperChunker: Chunker = {
  method: 'paper',
  accepts: ['pdf', 'docx', 'md', 'txt', 'html'],
  async chunk(parsed, context): Promise<ChunkDraft[]> {
    const settings = packSettings(context);
    const outline = await buildOutline(parsed.sections, { namedSection: NAMED_SECTION, nestOutlineNumbers: true, ...(context.signal && { signal: context.signal }) });
    const { items } = outline;
    const abstract = findAbstract(items);
    const frontEnd = abstract ? abstract.start : frontMatterEnd(items);
    const drafts = await frontMatter(items.slice(0, frontEnd), settings);
    let restStart = frontEnd;
    if (abstract) {
      drafts.push(wholeDraft(items.slice(abstract.start, abstract.end), [abstract.name]));
      restStart = abstract.end;
    }
    for (const run of sectionRuns(items.slice(restStart))) drafts.push(...(await packRun(run, pathLine(run.path), settings)));
    return drafts;
  },
};
