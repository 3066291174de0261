/**
 * The outline of a parsed document for the structure-aware methods (book, laws, manual, paper):
 * the parser's headings and the numbered lines of the body ("第十二条", "Article 12", "2.1"),
 * each with a level, and the paragraphs and tables between them.
 */
import type { ChunkPosition, ChunkSource } from '../../types.js';
import type { Section } from '../types.js';
import { Yielder } from '../../util/yield.js';
import {
  FamilyVote,
  FAMILIES,
  matchNumbering,
  NumberingLevels,
  startsParagraph,
  type NumberingFamily,
} from './numbering.js';

export type TableSection = Extract<Section, { kind: 'table' }>;

/** A division of the document: a heading of the parser's, or a line that starts with a number. */
export interface OutlineNode {
  level: number;
  /** Its name in a heading path: the whole line, or only the number when the line runs on into text. */
  title: string;
  /** The line as written. */
  line: string;
  /** The line is only a title; otherwise it is also the first paragraph of its division (the body). */
  titleOnly: boolean;
  /** Carries a number of the document's numbering family (a numbered line, or a numbered heading). */
  numbered: boolean;
  positions: ChunkPosition[];
  source?: ChunkSource;
}

export type Block =
  | { kind: 'text'; text: string; positions: ChunkPosition[]; source?: ChunkSource }
  | { kind: 'table'; table: TableSection };

export type OutlineItem = { kind: 'node'; node: OutlineNode } | Block;

export interface Outline {
  items: OutlineItem[];
  family?: NumberingFamily;
}

export interface OutlineOptions {
  /** Whole lines that head a section without a number (a paper's "References"). */
  namedSection?: RegExp;
  /**
   * Outline numbers under keyword divisions: "3.2 Results" after "Chapter 3" is a section of that
   * chapter. Only when the first number is the chapter's, so that numbered lists stay lists. Not for
   * laws, whose numbered paragraphs belong to their article.
   */
  nestOutlineNumbers?: boolean;
  signal?: AbortSignal;
}

/** A line ending like this closed its paragraph, so the next line may start a new division. */
const CLOSING = /[.。!?！？:：;；"”'’)）\]]$/u;
/** Hard-wrapped prose runs to the margin; a short line is a title or the last line of a paragraph. */
const SHORT_LINE = 40;

function anyNumbering(line: string): boolean {
  return FAMILIES.some((f) => matchNumbering(line, f) !== undefined);
}

/** A line ending in a comma, hyphen or connective word is continued on the next one. */
const CONTINUED = /(?:[,，\-–]|\b(?:of|the|and|or|to|in|a|an|for|with|by|under|shall|may|be|is|are|as|on|at|from|that|which|pursuant))$/u;

/**
 * "the provisions of\nArticle 5 shall apply" is a reference wrapped onto a new line, not Article 5:
 * a division starts only after a blank line or a line that is complete (short, closed or numbered),
 * or when the line itself is a title ("第二章 附则") after anything but an unfinished phrase.
 */
function mayStartAfter(previous: string | undefined, line: string): boolean {
  if (previous === undefined) return true;
  const p = previous.trim();
  if (CONTINUED.test(p)) return false;
  return p.length < SHORT_LINE || CLOSING.test(p) || anyNumbering(p) || headingShaped(line.trim());
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/** Short and not a sentence: "Chapter 2 Obligations", "第一章 总则"; not "第十二条 用人单位应当……。" */
function headingShaped(line: string): boolean {
  const cjk = line.match(CJK)?.length ?? 0;
  if (line.length > 80 || cjk > 25 || line.split(/\s+/).length > 12 || CONTINUED.test(line)) return false;
  return !/[.。!?！？;；,，、:：]$/u.test(line) && !/[。！？；]/u.test(line);
}

/** Headings, and line starts where a division may begin, with the families each may vote for. */
async function vote(sections: readonly Section[], bodyAllows: (f: NumberingFamily) => boolean, yielder: Yielder): Promise<FamilyVote> {
  const result = new FamilyVote();
  for (const section of sections) {
    if (section.kind === 'heading') result.add(section.text.trim());
    if (section.kind !== 'text') continue;
    let previous: string | undefined;
    for (const line of section.text.split('\n')) {
      await yielder.tick();
      if (line.trim() && mayStartAfter(previous, line)) result.add(line.trim(), bodyAllows);
      previous = line.trim() ? line : undefined;
    }
  }
  return result;
}

/**
 * Where the parser's headings sit among the numbering levels. A heading that is numbered itself
 * takes its number's level; others are placed by their outline level next to the numbered headings
 * of neighbouring outline levels (a title above "Chapter 1" stays above all chapters).
 */
function headingLevels(
  sections: readonly Section[],
  family: NumberingFamily | undefined,
  levels: NumberingLevels | undefined,
): (outline: number, text: string) => number {
  if (!family || !levels) return (outline) => outline;
  const rankOfOutline = new Map<number, number>();
  for (const s of sections) {
    if (s.kind !== 'heading') continue;
    const m = matchNumbering(s.text.trim(), family);
    if (!m) continue;
    const rank = levels.levelOf(m);
    rankOfOutline.set(s.level, Math.min(rankOfOutline.get(s.level) ?? rank, rank));
  }
  const mapped = [...rankOfOutline.keys()].sort((a, b) => a - b);
  return (outline, text) => {
    const m = matchNumbering(text, family);
    if (m) return levels.levelOf(m);
    const exact = rankOfOutline.get(outline);
    if (exact !== undefined) return exact;
    const above = mapped.filter((l) => l < outline).at(-1);
    // Between two numbered levels: a fraction keeps it below its numbered parent.
    if (above !== undefined) return (rankOfOutline.get(above) ?? 0) + 0.1 * (outline - above);
    const below = mapped[0];
    // Unnumbered headings of a document whose numbering is all in the body: titles above it.
    if (below === undefined) return outline - 10;
    return (rankOfOutline.get(below) ?? 0) - (below - outline);
  };
}

/** Paragraphs and divisions of the document in reading order. */
export async function buildOutline(sections: readonly Section[], options: OutlineOptions = {}): Promise<Outline> {
  const yielder = new Yielder(options.signal);
  const hasHeadings = sections.some((s) => s.kind === 'heading');
  // Numbered list items in a document that has real headings are lists, not sections; keyword
  // divisions ("Article 12") are divisions wherever they are.
  const bodyAllows = (f: NumberingFamily): boolean => !hasHeadings || f === 'zh-keyword' || f === 'en-keyword';
  const votes = await vote(sections, bodyAllows, yielder);
  const family = votes.winner();
  const levels = family ? new NumberingLevels(family, votes.kindCounts(family)) : undefined;
  const headingLevel = headingLevels(sections, family, levels);

  const items: OutlineItem[] = [];
  // The enclosing divisions of the document's family with their numbers, for nesting "3.2" under "Chapter 3".
  const divisions: { level: number; value: number | undefined }[] = [];
  const enter = (level: number, value: number | undefined): void => {
    while ((divisions.at(-1)?.level ?? Number.NEGATIVE_INFINITY) >= level) divisions.pop();
    divisions.push({ level, value });
  };
  const nestedLevel = (line: string): { level: number; label: string } | undefined => {
    if (!options.nestOutlineNumbers || (family !== 'en-keyword' && family !== 'zh-keyword')) return undefined;
    const outline = matchNumbering(line, 'decimal');
    const depth = Number(outline?.kind ?? 0);
    if (!outline || depth < 2) return undefined;
    const parent = divisions.findLast((d) => d.value === outline.value);
    return parent && { level: parent.level + 0.1 * (depth - 1), label: outline.label };
  };
  for (const section of sections) {
    await yielder.tick();
    const positions = section.positions ?? [];
    const source = section.source;
    if (section.kind === 'table') {
      items.push({ kind: 'table', table: section });
      continue;
    }
    if (section.kind === 'heading') {
      const text = section.text.replace(/\s+/g, ' ').trim();
      if (!text) continue;
      const match = family ? matchNumbering(text, family) : undefined;
      const numbered = match !== undefined;
      if (match && levels) enter(levels.levelOf(match), match.value);
      const node: OutlineNode = { level: headingLevel(section.level, text), title: text, line: text, titleOnly: true, numbered, positions: [...positions], ...(source && { source }) };
      items.push({ kind: 'node', node });
      continue;
    }
    let paragraph: string[] = [];
    const flush = (): void => {
      const text = paragraph.join('\n').trim();
      if (text) items.push({ kind: 'text', text, positions: [...positions], ...(source && { source }) });
      paragraph = [];
    };
    let previous: string | undefined;
    for (const raw of section.text.split('\n')) {
      await yielder.tick();
      const line = raw.trim();
      const opens = mayStartAfter(previous, raw);
      previous = line ? raw : undefined;
      if (!line) {
        flush();
        continue;
      }
      const numbered = opens && family && bodyAllows(family) ? matchNumbering(line, family) : undefined;
      const nested = opens && !numbered ? nestedLevel(line) : undefined;
      if ((numbered && levels) || nested) {
        flush();
        const titleOnly = headingShaped(line);
        const level = numbered && levels ? levels.levelOf(numbered) : (nested?.level ?? 0);
        const label = numbered?.label ?? nested?.label ?? line;
        if (numbered) enter(level, numbered.value);
        const node: OutlineNode = { level, title: titleOnly ? line : label, line, titleOnly, numbered: numbered !== undefined, positions: [...positions], ...(source && { source }) };
        items.push({ kind: 'node', node });
        if (!titleOnly) paragraph.push(line);
        continue;
      }
      if (opens && options.namedSection?.test(line)) {
        flush();
        // Level 1: "References" closes whatever division came before it.
        const node: OutlineNode = { level: 1, title: line, line, titleOnly: true, numbered: false, positions: [...positions], ...(source && { source }) };
        items.push({ kind: 'node', node });
        continue;
      }
      if (opens && startsParagraph(line, family)) flush();
      paragraph.push(line);
    }
    flush();
  }
  return { items, ...(family && { family }) };
}

/** The text and tables directly under one division, with the divisions enclosing it (outermost first). */
export interface SectionRun {
  path: OutlineNode[];
  body: Block[];
}

/**
 * The document cut at every division of level `maxLevel` or above; deeper divisions stay inside
 * their parent's text (their title lines become paragraphs). The first run holds what comes before
 * any division and has an empty path. A division without text of its own is only kept when it has
 * no subdivisions to carry its title in their paths.
 */
export function sectionRuns(items: readonly OutlineItem[], maxLevel = Number.POSITIVE_INFINITY): SectionRun[] {
  const runs: SectionRun[] = [{ path: [], body: [] }];
  const stack: OutlineNode[] = [];
  for (const item of items) {
    const current = runs[runs.length - 1] as SectionRun;
    if (item.kind !== 'node') {
      current.body.push(item);
      continue;
    }
    const { node } = item;
    if (node.level > maxLevel) {
      if (node.titleOnly) current.body.push({ kind: 'text', text: node.line, positions: node.positions, ...(node.source && { source: node.source }) });
      continue;
    }
    while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= node.level) stack.pop();
    stack.push(node);
    runs.push({ path: [...stack], body: [] });
  }
  return runs.filter((run, i) => {
    if (run.body.length > 0) return true;
    const own = run.path.at(-1);
    return own !== undefined && !runs[i + 1]?.path.includes(own);
  });
}
