import type { ChunkSource } from '../../types.js';
import type { ChunkDraft } from '../types.js';
import { countTokens } from '../tokens.js';
import { mergeSources, PositionList } from '../source.js';
import { buildOutline, sectionRuns, type OutlineNode, type SectionRun } from './hierarchy.js';
import { blockText, packRun, packSettings, pathLine, tokensWithin } from './section-pack.js';
import type { Chunker } from './types.js';

/** A section as one piece of text: its title line, then its paragraphs. */
function runText(run: SectionRun): string {
  const own = run.path.at(-1);
  return [...(own?.titleOnly ? [own.line] : []), ...run.body.map(blockText)].join('\n');
}

function sameParent(a: SectionRun, b: SectionRun): boolean {
  if (a.path.length === 0 || a.path.length !== b.path.length) return false;
  return a.path.slice(0, -1).every((node, i) => b.path[i] === node);
}

interface Group {
  runs: SectionRun[];
  texts: string[];
  tokens: number;
}

function groupDraft(group: Group): ChunkDraft {
  const first = group.runs[0] as SectionRun;
  const parent = pathLine(first.path.slice(0, -1));
  const positions = new PositionList();
  let source: ChunkSource | undefined;
  for (const run of group.runs) {
    positions.add(run.path.at(-1)?.positions ?? []);
    for (const block of run.body) {
      positions.add(block.kind === 'text' ? block.positions : (block.table.positions ?? []));
      const s = block.kind === 'text' ? block.source : block.table.source;
      if (s) source = mergeSources(source, s);
    }
  }
  const content = [...(parent ? [parent] : []), ...group.texts].join('\n');
  return { content, positions: positions.list, source: { ...source, headingPath: first.path.map((n: OutlineNode) => n.title) } };
}

/**
 * RAGFlow's "manual": chunks follow the manual's own sections (its headings and outline levels).
 * A chunk is one section, title and text, joined by the sibling sections after it while they fit
 * the budget together: a manual's short neighbouring sections ("Power", "Reset", "Cleaning")
 * answer a question better as one passage. A section larger than the budget is packed on its own
 * with its title repeated; tables stay whole, or are split by rows with the header repeated.
 * Every chunk opens with the path of the enclosing sections ("Setup > Network").
 */
export const manualChunker: Chunker = {
  method: 'manual',
  accepts: ['pdf', 'docx', 'md', 'html', 'txt'],
  async chunk(parsed, context): Promise<ChunkDraft[]> {
    const settings = packSettings(context);
    const outline = await buildOutline(parsed.sections, { nestOutlineNumbers: true, ...(context.signal && { signal: context.signal }) });
    const drafts: ChunkDraft[] = [];
    let group: Group | undefined;
    const closeGroup = (): void => {
      if (group) drafts.push(groupDraft(group));
      group = undefined;
    };
    for (const run of sectionRuns(outline.items)) {
      await settings.yielder.tick();
      const own = run.path.at(-1);
      const text = runText(run);
      const tokens = run.body.some((b) => b.kind === 'table') || !own ? Number.POSITIVE_INFINITY : tokensWithin(text, settings.budget);
      if (group && sameParent(group.runs[0] as SectionRun, run) && group.tokens + 1 + tokens <= settings.budget) {
        group.runs.push(run);
        group.texts.push(text);
        group.tokens += 1 + tokens;
        continue;
      }
      closeGroup();
      const parent = pathLine(run.path.slice(0, -1));
      const parentTokens = parent ? countTokens(parent) + 1 : 0;
      if (parentTokens + tokens <= settings.budget) {
        group = { runs: [run], texts: [text], tokens: parentTokens + tokens };
        continue;
      }
      const header = [...(parent ? [parent] : []), ...(own ? [own.title] : [])].join('\n');
      drafts.push(...(await packRun(run, header, settings)));
    }
    closeGroup();
    return drafts;
  },
};
