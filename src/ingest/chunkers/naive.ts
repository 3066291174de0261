import type { ChunkPosition, ChunkSource } from '../../types.js';
import type { ChunkDraft, Section } from '../types.js';
import { countTokens } from '../tokens.js';
import { tableHtmlPieces, type TablePiece } from '../table.js';
import { HeadingTrail, mergeSources, PositionList } from '../source.js';
import type { Chunker } from './types.js';
import { Yielder } from '../../util/yield.js';
import { delimiterPattern, parseDelimiters, splitKeepingDelimiters } from './delimiters.js';

export interface NaiveChunkConfig {
  /** Token budget: a chunk closes once it exceeds this. */
  chunkTokenNum: number;
  delimiter: string;
}

/** A piece larger than this many budgets is cut in halves, so no chunk is unbounded. */
const HUGE_PIECE_FACTOR = 10;

/**
 * Text longer than this many characters per budget token is first cut into windows of that size:
 * counting the tokens of a multi-megabyte piece (and of each half, and so on) in one go would hold
 * the event loop for seconds. English averages about four characters per token.
 */
const WINDOW_CHARS_PER_TOKEN = 4 * HUGE_PIECE_FACTOR;

interface Unit {
  text: string;
  tokens: number;
  positions: readonly ChunkPosition[];
  source?: ChunkSource | undefined;
  /** First piece of a section: gets a line break from what precedes it. */
  startsSection: boolean;
}

/** Cuts near the middle, preferring whitespace, and never inside a surrogate pair. */
function cutPoint(text: string): number {
  const middle = Math.floor(text.length / 2);
  const reach = Math.floor(text.length / 10);
  for (let d = 0; d <= reach; d++) {
    if (/\s/.test(text[middle + d] ?? '')) return middle + d + 1;
    if (/\s/.test(text[middle - d] ?? '')) return middle - d + 1;
  }
  const code = text.charCodeAt(middle);
  return code >= 0xdc00 && code <= 0xdfff ? middle + 1 : middle;
}

/** Consecutive windows of at most `maxChars`, each ending at whitespace when there is some nearby. */
function* windows(text: string, maxChars: number): Generator<string> {
  let start = 0;
  while (text.length - start > maxChars) {
    let end = start + maxChars;
    const space = text.slice(end - Math.floor(maxChars / 10), end).search(/\s\S*$/);
    if (space >= 0) end = end - Math.floor(maxChars / 10) + space + 1;
    else if (text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff) end--;
    yield text.slice(start, end);
    start = end;
  }
  if (start < text.length) yield text.slice(start);
}

function halve(text: string, tokens: number, limit: number): Array<[string, number]> {
  if (tokens <= limit || text.length < 2) return [[text, tokens]];
  const at = cutPoint(text);
  const left = text.slice(0, at);
  const right = text.slice(at);
  return [...halve(left, countTokens(left), limit), ...halve(right, countTokens(right), limit)];
}

class ChunkBuilder {
  readonly drafts: ChunkDraft[] = [];
  private text = '';
  private tokens = 0;
  private positions = new PositionList();
  private source: ChunkSource | undefined;

  constructor(private readonly budget: number) {}

  /** RAGFlow's rule: a chunk takes pieces until its count exceeds the budget. */
  add(unit: Unit): void {
    if (this.tokens > this.budget) this.close();
    if (unit.startsSection && this.text && !/\s$/.test(this.text)) this.text += '\n';
    this.text += unit.text;
    this.tokens += unit.tokens;
    this.positions.add(unit.positions);
    if (unit.source) this.source = mergeSources(this.source, unit.source);
  }

  /** Whitespace between pieces: kept in the open chunk, never the start of a new one. */
  appendSpace(text: string, tokens: number): void {
    this.text += text;
    this.tokens += tokens;
  }

  /** A chunk that stands alone (a table piece): the open chunk is closed first. */
  addWhole(text: string, positions: readonly ChunkPosition[], source: ChunkSource | undefined): void {
    this.close();
    this.text = text;
    this.positions.add(positions);
    this.source = source;
    this.close();
  }

  close(): void {
    const content = this.text.replace(/^\n+/, '').replace(/\s+$/, '');
    if (content.trim()) this.drafts.push({ content, positions: this.positions.list, ...(this.source && { source: this.source }) });
    this.text = '';
    this.tokens = 0;
    this.positions = new PositionList();
    this.source = undefined;
  }
}

/**
 * RAGFlow's "naive" (General) chunking: text is cut into pieces at the delimiters (each delimiter
 * stays at the end of its piece), pieces are merged greedily until a chunk exceeds the token budget,
 * a heading is glued to what follows it, and tables become their own HTML chunks, split by rows with
 * the header repeated when they are larger than the budget.
 */
export async function chunkNaive(
  sections: readonly Section[],
  config: NaiveChunkConfig,
  options: { signal?: AbortSignal } = {},
): Promise<ChunkDraft[]> {
  const budget = Math.max(1, Math.floor(config.chunkTokenNum));
  const pattern = delimiterPattern(parseDelimiters(config.delimiter));
  const yielder = new Yielder(options.signal);
  const out = new ChunkBuilder(budget);
  let trail = new HeadingTrail();
  let slide: number | undefined;
  let heading: { text: string; tokens: number; positions: ChunkPosition[]; source: ChunkSource | undefined } | null = null;

  const emit = async (
    text: string,
    positions: readonly ChunkPosition[],
    source: ChunkSource | undefined,
    startsSection: boolean,
  ): Promise<void> => {
    for (const window of windows(text, budget * WINDOW_CHARS_PER_TOKEN)) {
      await yielder.tick();
      for (const [part, n] of halve(window, countTokens(window), budget * HUGE_PIECE_FACTOR)) {
        if (heading) {
          out.add({
            text: `${heading.text}\n${part}`,
            tokens: heading.tokens + n,
            positions: [...heading.positions, ...positions],
            // The text's heading path is the deeper one.
            source: mergeSources(source, heading.source),
            startsSection: true,
          });
          heading = null;
        } else {
          out.add({ text: part, tokens: n, positions, source, startsSection });
        }
        startsSection = false;
      }
    }
  };

  for (const section of sections) {
    await yielder.tick();
    const positions = section.positions ?? [];
    // Each slide starts afresh: an untitled slide does not sit under the previous slide's title.
    const sectionSlide = section.source?.slides?.[0];
    if (sectionSlide !== undefined && sectionSlide !== slide) {
      slide = sectionSlide;
      trail = new HeadingTrail();
    }
    if (section.kind === 'heading') {
      const text = section.text.trim();
      if (!text) continue;
      trail.enter(section.level, text);
      const source = withHeadingPath(section.source, trail);
      heading = heading
        ? {
            text: `${heading.text}\n${text}`,
            tokens: heading.tokens + countTokens(text) + 1,
            positions: [...heading.positions, ...positions],
            source: mergeSources(source, heading.source),
          }
        : { text, tokens: countTokens(text), positions: [...positions], source };
      continue;
    }
    const source = withHeadingPath(section.source, trail);
    if (section.kind === 'table') {
      const caption = heading?.text;
      const tablePositions = [...(heading?.positions ?? []), ...positions];
      heading = null;
      for (const piece of tableHtmlPieces(section, budget, caption)) {
        out.addWhole(piece.html, tablePositions, withRows(source, section.rowNumbers, piece));
        await yielder.tick();
      }
      continue;
    }
    if (section.keepWhole) {
      await emit(section.text, positions, source, true);
      continue;
    }
    let first = true;
    for (const piece of splitKeepingDelimiters(section.text, pattern)) {
      await yielder.tick();
      if (!piece.trim()) {
        // Blank lines between pieces; after a pending heading they would only separate it from its text.
        if (!heading && !first) out.appendSpace(piece, countTokens(piece));
        continue;
      }
      await emit(piece, positions, source, first);
      first = false;
    }
  }
  if (heading) out.add({ ...heading, startsSection: true });
  out.close();
  return out.drafts;
}

function withHeadingPath(source: ChunkSource | undefined, trail: HeadingTrail): ChunkSource | undefined {
  const headingPath = trail.path();
  if (!headingPath || source?.headingPath) return source;
  return { ...source, headingPath };
}

/** The sheet rows a table piece covers, when the parser numbered them (header row included in neither). */
export function withRows(source: ChunkSource | undefined, rowNumbers: readonly number[] | undefined, piece: TablePiece): ChunkSource | undefined {
  const first = rowNumbers?.[piece.first];
  const last = rowNumbers?.[piece.last];
  if (first === undefined || last === undefined) return source;
  return { ...source, rows: [first, last] };
}

/** RAGFlow's "General" method. Reads every file type. */
export const naiveChunker: Chunker = {
  method: 'naive',
  accepts: 'any',
  chunk: (parsed, context) =>
    chunkNaive(parsed.sections, { chunkTokenNum: context.chunkTokenNum, delimiter: context.delimiter }, { ...(context.signal && { signal: context.signal }) }),
};
