import type { ChunkPosition, ChunkSource } from '../../types.js';
import type { Section } from '../types.js';
import { HeadingTrail } from '../source.js';
import { tableToHtml } from '../table.js';
import { hasQaMarkers, MarkerReader } from './marker-reader.js';
import { startsWithQuestionMarker, type QaPair } from './pair.js';
import { isQaTable, tablePairs } from './table-pairs.js';

const linesOf = (text: string): string[] => text.replace(/\r\n?/g, '\n').split('\n');

function* sectionLines(sections: readonly Section[]): Generator<string> {
  for (const section of sections) if (section.kind !== 'table') yield* linesOf(section.text);
}

function withHeadingPath(source: ChunkSource | undefined, trail: HeadingTrail): ChunkSource | undefined {
  const headingPath = trail.path();
  return headingPath ? { ...source, headingPath } : source;
}

/** A question heading and what has been read under it so far. */
interface OpenAnswer {
  question: string;
  level: number;
  parts: string[];
  positions: ChunkPosition[];
  source: ChunkSource | undefined;
}

const closed = (open: OpenAnswer | undefined): QaPair | undefined =>
  open && {
    question: open.question,
    answer: open.parts.join('\n'),
    positions: open.positions,
    ...(open.source && { source: open.source }),
  };

const asksSomething = (heading: string): boolean => /[?？؟]\s*$/u.test(heading);

/**
 * A heading inside an answer ("How do I install?" > "On Windows") belongs to that answer: it sits
 * deeper than a heading that asks something and does not ask anything itself.
 */
const insideAnswer = (open: OpenAnswer | undefined, level: number, heading: string): open is OpenAnswer =>
  open !== undefined && level > open.level && asksSomething(open.question) && !asksSomething(heading);

/**
 * RAGFlow's markdown Q&A: a heading is a question and the text and tables under it its answer, up
 * to the next heading of the same or a higher level; a deeper heading starts its own pair unless it
 * lies inside an answer (insideAnswer). The headings above a question stay in its source's
 * headingPath. Text before the first heading answers nothing.
 */
function* headingPairs(sections: readonly Section[]): Generator<QaPair> {
  const trail = new HeadingTrail();
  let open: OpenAnswer | undefined;
  for (const section of sections) {
    if (section.kind === 'heading') {
      const question = section.text.trim();
      if (insideAnswer(open, section.level, question)) {
        open.parts.push(question);
        open.positions.push(...(section.positions ?? []));
        continue;
      }
      const pair = closed(open);
      if (pair) yield pair;
      trail.enter(section.level, question);
      open = {
        question,
        level: section.level,
        parts: [],
        positions: [...(section.positions ?? [])],
        source: withHeadingPath(section.source, trail),
      };
      continue;
    }
    if (section.kind === 'table' && isQaTable(section)) {
      yield* tablePairs(section, withHeadingPath(section.source, trail));
      continue;
    }
    if (!open) continue;
    open.parts.push(section.kind === 'table' ? tableToHtml(section) : section.text);
    open.positions.push(...(section.positions ?? []));
  }
  const pair = closed(open);
  if (pair) yield pair;
}

/**
 * Documents that write their pairs out ("Q: …" / "A: …" paragraphs): headings only group them and
 * end an answer, unless a heading itself carries the marker (PDF headings are guessed from type size).
 */
function* markerPairs(sections: readonly Section[]): Generator<QaPair> {
  const trail = new HeadingTrail();
  const reader = new MarkerReader();
  for (const section of sections) {
    const positions = section.positions ?? [];
    if (section.kind === 'heading' && !startsWithQuestionMarker(section.text)) {
      const pair = reader.flush();
      if (pair) yield pair;
      trail.enter(section.level, section.text.trim());
      continue;
    }
    const source = withHeadingPath(section.source, trail);
    if (section.kind === 'table') {
      if (isQaTable(section)) {
        const pair = reader.flush();
        if (pair) yield pair;
        yield* tablePairs(section, source);
      } else {
        reader.line(tableToHtml(section), positions, source);
      }
      continue;
    }
    for (const line of linesOf(section.text)) {
      const pair = reader.line(line, positions, source);
      if (pair) yield pair;
    }
  }
  const last = reader.flush();
  if (last) yield last;
}

/** Pairs of a structured document (Markdown, HTML, DOCX, PDF): written-out Q/A markers win over headings. */
export function documentPairs(sections: readonly Section[]): Generator<QaPair> {
  return hasQaMarkers(sectionLines(sections)) ? markerPairs(sections) : headingPairs(sections);
}
