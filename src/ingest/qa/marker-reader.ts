import type { ChunkPosition, ChunkSource } from '../../types.js';
import { PositionList } from '../source.js';
import { splitInlineAnswer, startsWithAnswerMarker, startsWithQuestionMarker, stripAnswerMarker, stripQuestionMarker, type QaPair } from './pair.js';

/** True when lines hold "Q: …" and "A: …" markers, i.e. the pairs are written out, not implied by headings. */
export function hasQaMarkers(lines: Iterable<string>): boolean {
  let questions = 0;
  let answers = 0;
  for (const line of lines) {
    if (startsWithQuestionMarker(line)) {
      questions++;
      if (splitInlineAnswer(stripQuestionMarker(line)).answer !== undefined) answers++;
    } else if (startsWithAnswerMarker(line)) {
      answers++;
    }
    if (questions > 0 && answers > 0) return true;
  }
  return false;
}

/**
 * Reads "Q: … / A: …" blocks one line at a time. A question runs until its answer marker (it may
 * take several lines), an answer until the next question marker, so answers can hold paragraphs,
 * lists and tables. Lines before the first question are not part of any pair.
 */
export class MarkerReader {
  private question: string[] = [];
  private answer: string[] | null = null;
  private positions = new PositionList();
  private source: ChunkSource | undefined;
  private open = false;

  /** Feeds one line; returns the pair it closes, if any. */
  line(text: string, positions: readonly ChunkPosition[] = [], source?: ChunkSource): QaPair | undefined {
    if (startsWithQuestionMarker(text)) {
      const closed = this.flush();
      const { question, answer } = splitInlineAnswer(stripQuestionMarker(text));
      this.open = true;
      this.question = [question];
      this.answer = answer === undefined ? null : [answer];
      this.source = source;
      this.positions.add(positions);
      return closed;
    }
    if (!this.open) return undefined;
    if (this.answer === null && startsWithAnswerMarker(text)) this.answer = [stripAnswerMarker(text)];
    else if (this.answer === null) this.question.push(text);
    else this.answer.push(text);
    this.positions.add(positions);
    return undefined;
  }

  /** Closes the open pair (at a heading or the end of the document). */
  flush(): QaPair | undefined {
    if (!this.open) return undefined;
    const pair: QaPair = {
      question: this.question.join(' '),
      answer: (this.answer ?? []).join('\n'),
      positions: this.positions.list,
      ...(this.source && { source: this.source }),
    };
    this.open = false;
    this.question = [];
    this.answer = null;
    this.positions = new PositionList();
    this.source = undefined;
    return pair;
  }
}
