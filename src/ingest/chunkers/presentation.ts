import type { ChunkPosition, ChunkSource } from '../../types.js';
import type { ChunkDraft, Section } from '../types.js';
import { tableAsLines } from '../pptx/table-text.js';
import { Yielder } from '../../util/yield.js';
import type { Chunker } from './types.js';

type Unit = 'slides' | 'pages';

/** The slide or page a section belongs to, when its parser said. */
function unitNumber(section: Section, unit: Unit): number | undefined {
  if (unit === 'slides') return section.source?.slides?.[0];
  return section.source?.pages?.[0] ?? section.positions?.[0]?.[0];
}

function sectionText(section: Section): string {
  return (section.kind === 'table' ? tableAsLines(section) : section.text).trim();
}

interface Group {
  number: number;
  lines: string[];
  positions: ChunkPosition[];
}

/**
 * RAGFlow's "presentation" method: one chunk per slide (a .pptx) or per page (a PDF of slides),
 * holding the slide's title, text, tables and speaker notes, in that order. Tables are written as
 * "Header: value; ..." lines (tableAsLines), not HTML: the chunk is the slide's plain text, which
 * HTML markup would turn into a mix that is neither text nor a table, and each line keeps its
 * headers so it reads on its own. A slide is never split, however long it is, even beyond several times the
 * token budget: the slide is the unit a reader looks for and what the chunk's source points at.
 * Slides with no text make no chunk.
 */
async function chunkBySlide(sections: readonly Section[], unit: Unit, signal?: AbortSignal): Promise<ChunkDraft[]> {
  const yielder = new Yielder(signal);
  const groups = new Map<number, Group>();
  const groupOf = (number: number): Group => {
    let group = groups.get(number);
    if (!group) {
      group = { number, lines: [], positions: [] };
      groups.set(number, group);
    }
    return group;
  };
  let current: Group | undefined;
  for (const section of sections) {
    await yielder.tick();
    const number = unitNumber(section, unit);
    // A section that names no slide or page (text a parser could not place) stays with the one before it.
    current = number === undefined ? (current ?? groupOf(1)) : groupOf(number);
    const text = sectionText(section);
    if (text) current.lines.push(text);
    current.positions.push(...(section.positions ?? []).map((p): ChunkPosition => [...p]));
  }
  const drafts: ChunkDraft[] = [];
  for (const group of [...groups.values()].sort((a, b) => a.number - b.number)) {
    if (group.lines.length === 0) continue;
    const source: ChunkSource = unit === 'slides' ? { slides: [group.number] } : { pages: [group.number] };
    drafts.push({ content: group.lines.join('\n'), positions: group.positions, source });
  }
  return drafts;
}

export const presentationChunker: Chunker = {
  method: 'presentation',
  accepts: ['pptx', 'pdf'],
  chunk: (parsed, context) => chunkBySlide(parsed.sections, context.fileType === 'pptx' ? 'slides' : 'pages', context.signal),
};
