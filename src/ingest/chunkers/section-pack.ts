/**
 * Chunks of one section of a structured document (book, manual, paper): its paragraphs packed up
 * to the token budget, each chunk opening with the section's header so that it reads on its own.
 * Unlike naive chunking the budget is a ceiling, not a threshold: a chunk only passes it when a
 * single word does.
 */
import type { ChunkPosition, ChunkSource } from '../../types.js';
import type { ChunkDraft } from '../types.js';
import { countTokens } from '../tokens.js';
import { mergeSources, PositionList } from '../source.js';
import { tableHtmlPieces, tableToHtml } from '../table.js';
import { Yielder } from '../../util/yield.js';
import { delimiterPattern, parseDelimiters, splitKeepingDelimiters } from './delimiters.js';
import { withRows } from './naive.js';
import type { Block, OutlineNode, SectionRun } from './hierarchy.js';
import type { ChunkContext } from './types.js';

export interface PackSettings {
  budget: number;
  /** The dataset's delimiters: where an over-long paragraph may be cut. */
  delimiters: RegExp | null;
  yielder: Yielder;
}

export interface SectionToPack {
  /** First line(s) of every chunk: the section path. Empty for text outside any section. */
  header: string;
  headingPath?: string[];
  /** Positions of the headings, given to the section's first chunk. */
  headerPositions: readonly ChunkPosition[];
  body: readonly Block[];
}

export function packSettings(context: ChunkContext): PackSettings {
  return {
    budget: Math.max(1, Math.floor(context.chunkTokenNum)),
    delimiters: delimiterPattern(parseDelimiters(context.delimiter)),
    yielder: new Yielder(context.signal),
  };
}

/** Characters per token well above any real text: beyond this, a piece is cut before it is counted. */
export const MAX_CHARS_PER_TOKEN = 40;

/** Cuts text without any delimiter at whitespace, or at characters for scripts without spaces. */
function* byWords(text: string, max: number): Generator<[string, number]> {
  let piece = '';
  let tokens = 0;
  // A Chinese or Japanese character is one or two tokens: runs of max/4 characters always fit and
  // are small enough to fill a chunk closely.
  const run = Math.max(1, Math.floor(max / 4));
  const slices = new RegExp(`[^]{1,${run}}`, 'gu');
  for (const word of text.split(/(?<=\s)/u)) {
    const pieces = word.length > run ? (word.match(slices) ?? []) : [word];
    for (const part of pieces) {
      const n = countTokens(part);
      if (piece && tokens + n > max) {
        yield [piece, tokens];
        piece = '';
        tokens = 0;
      }
      piece += part;
      tokens += n;
    }
  }
  if (piece) yield [piece, tokens];
}

/**
 * A paragraph as pieces of at most `max` tokens: whole if it fits, else cut at the dataset's
 * delimiters, then at sentence ends, then between words.
 */
function* fit(text: string, max: number, delimiters: RegExp | null, stage: 'delimiters' | 'sentences' = 'delimiters'): Generator<[string, number]> {
  if (text.length <= max * MAX_CHARS_PER_TOKEN) {
    const n = countTokens(text);
    if (n <= max) {
      yield [text, n];
      return;
    }
  }
  const pieces = stage === 'delimiters' ? [...splitKeepingDelimiters(text, delimiters)] : text.split(/(?<=[.!?。！？]\s+)/u);
  if (pieces.length <= 1) {
    yield* stage === 'delimiters' ? fit(text, max, null, 'sentences') : byWords(text, max);
    return;
  }
  for (const piece of pieces) yield* fit(piece, max, null, 'sentences');
}

class Accumulator {
  readonly drafts: ChunkDraft[] = [];
  private parts: string[] = [];
  private tokens = 0;
  private positions: PositionList;
  private source: ChunkSource | undefined;

  constructor(
    private readonly section: SectionToPack,
    private readonly bodyBudget: number,
  ) {
    this.positions = new PositionList(section.headerPositions);
  }

  /** `joinsPrevious`: a later piece of the same paragraph, which carries its own separator. */
  add(text: string, tokens: number, positions: readonly ChunkPosition[], source: ChunkSource | undefined, joinsPrevious: boolean): void {
    const separator = !joinsPrevious ? 1 : 0;
    if (this.parts.length > 0 && this.tokens + separator + tokens > this.bodyBudget) this.close();
    if (this.parts.length > 0 && separator) {
      this.parts.push('\n');
      this.tokens += separator;
    }
    this.parts.push(text);
    this.tokens += tokens;
    this.positions.add(positions);
    if (source) this.source = mergeSources(this.source, source);
  }

  close(): void {
    const body = this.parts.join('').trim();
    if (body) this.push(this.section.header ? `${this.section.header}\n${body}` : body, this.positions.list, this.source);
    this.parts = [];
    this.tokens = 0;
    this.positions = new PositionList();
    this.source = undefined;
  }

  push(content: string, positions: ChunkPosition[], source: ChunkSource | undefined): void {
    const { headingPath } = this.section;
    const withPath = headingPath && headingPath.length > 0 ? { ...source, headingPath } : source;
    this.drafts.push({ content, positions, ...(withPath && { source: withPath }) });
  }
}

/**
 * Paragraphs are joined with line breaks while the chunk (header included) stays within the
 * budget; a paragraph larger than the budget is cut at the dataset's delimiters. Tables become
 * chunks of their own, split by rows with the header row repeated, captioned with the section header.
 */
export async function packSection(section: SectionToPack, settings: PackSettings): Promise<ChunkDraft[]> {
  const headerTokens = section.header ? countTokens(section.header) + 1 : 0;
  const bodyBudget = Math.max(1, settings.budget - headerTokens);
  const out = new Accumulator(section, bodyBudget);
  for (const block of section.body) {
    await settings.yielder.tick();
    if (block.kind === 'table') {
      out.close();
      const caption = section.header || undefined;
      for (const piece of tableHtmlPieces(block.table, settings.budget, caption)) {
        out.push(piece.html, [...(block.table.positions ?? [])], withRows(block.table.source, block.table.rowNumbers, piece));
        await settings.yielder.tick();
      }
      continue;
    }
    let first = true;
    for (const [piece, tokens] of fit(block.text, bodyBudget, settings.delimiters)) {
      out.add(first ? piece : piece.replace(/^\n+/, ''), tokens, block.positions, block.source, !first);
      first = false;
      await settings.yielder.tick();
    }
  }
  out.close();
  if (out.drafts.length === 0 && section.header) out.push(section.header, [...section.headerPositions], undefined);
  return out.drafts;
}

/** One run of the outline packed under `header`: its chunks carry the run's titles as their heading path. */
export function packRun(run: SectionRun, header: string, settings: PackSettings): Promise<ChunkDraft[]> {
  const titles = run.path.map((n) => n.title);
  return packSection(
    { header, ...(titles.length > 0 && { headingPath: titles }), headerPositions: run.path.at(-1)?.positions ?? [], body: run.body },
    settings,
  );
}

/** How a section's titles read at the head of its chunks: "Chapter 3 > 3.2 Results". */
export function pathLine(path: readonly OutlineNode[]): string {
  return path.map((n) => n.title).join(' > ');
}

/**
 * Tokens of `text`, or Infinity without counting when it is too long to be within `limit` anyway:
 * counting megabytes in one call would hold the event loop.
 */
export function tokensWithin(text: string, limit: number): number {
  return text.length > limit * MAX_CHARS_PER_TOKEN ? Number.POSITIVE_INFINITY : countTokens(text);
}

/** A block as chunk text: tables as HTML, as RAGFlow stores them. */
export function blockText(block: Block): string {
  return block.kind === 'text' ? block.text : tableToHtml(block.table);
}
