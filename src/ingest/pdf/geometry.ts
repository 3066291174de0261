/**
 * Text runs in page coordinates. pdf.js reports each text item with a transform in PDF user space
 * (origin bottom-left, y up); everything here is converted to the page as seen (origin top-left,
 * y down, page rotation applied), which is also what chunk positions use.
 */

/** The fields of a pdf.js TextItem that layout needs. */
export interface PdfTextItem {
  str: string;
  dir: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
}

export interface PdfFontStyle {
  ascent?: number;
  descent?: number;
}

/** A piece of horizontal text on one baseline. */
export interface Run {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  baseline: number;
  size: number;
  rtl: boolean;
  /** pdf.js font id, stable within a document: a change of font often marks a heading. */
  font: string;
  /** Position in the content stream, among runs. */
  index: number;
  /** A space followed this run in the content stream (often as a separate, nearly zero-width item). */
  spaceAfter: boolean;
}

/** Text at an angle (margin stamps, rotated table headers): kept, but outside the layout analysis. */
export interface Box {
  text: string;
  font: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
}

type Matrix = [number, number, number, number, number, number];

function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  const [a1 = 1, b1 = 0, c1 = 0, d1 = 1, e1 = 0, f1 = 0] = m1;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = m2;
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

// Many fonts report no metrics; these are typical Latin values as a fraction of the font size.
const DEFAULT_ASCENT = 0.8;
const DEFAULT_DESCENT = -0.2;

function metrics(style: PdfFontStyle | undefined): { ascent: number; descent: number } {
  const ascent = style?.ascent && style.ascent > 0.4 && style.ascent < 1.2 ? style.ascent : DEFAULT_ASCENT;
  const descent = style?.descent && style.descent < 0 && style.descent > -0.6 ? style.descent : DEFAULT_DESCENT;
  return { ascent, descent };
}

export function itemsToRuns(
  items: readonly PdfTextItem[],
  styles: Readonly<Record<string, PdfFontStyle>>,
  viewportTransform: readonly number[],
): { runs: Run[]; rotated: Box[] } {
  const runs: Run[] = [];
  const rotated: Box[] = [];
  let previous: Run | undefined;
  for (const item of items) {
    if (!item.str) continue;
    if (!item.str.trim()) {
      if (previous) previous.spaceAfter = true;
      continue;
    }
    const m = multiply(viewportTransform, item.transform);
    const size = Math.hypot(m[2], m[3]);
    const advance = Math.hypot(m[0], m[1]);
    if (size <= 0 || advance <= 0) continue;
    const { ascent, descent } = metrics(styles[item.fontName]);
    const horizontal = Math.abs(m[1]) < 0.02 * advance && m[0] > 0 && m[3] < 0;
    if (horizontal) {
      const baseline = m[5];
      if (previous && /^\s/.test(item.str)) previous.spaceAfter = true;
      previous = {
        text: item.str,
        x0: m[4],
        x1: m[4] + Math.max(item.width, 0),
        top: baseline - ascent * size,
        bottom: baseline - descent * size,
        baseline,
        size,
        rtl: item.dir === 'rtl',
        font: item.fontName,
        index: runs.length,
        spaceAfter: /\s$/.test(item.str),
      };
      runs.push(previous);
      continue;
    }
    // Corners of the glyph box: along the advance by the width, along "up" by ascent/descent.
    const ux = m[0] / advance;
    const uy = m[1] / advance;
    const vx = m[2] / size;
    const vy = m[3] / size;
    const xs: number[] = [];
    const ys: number[] = [];
    for (const along of [0, item.width]) {
      for (const up of [ascent * size, descent * size]) {
        xs.push(m[4] + ux * along + vx * up);
        ys.push(m[5] + uy * along + vy * up);
      }
    }
    rotated.push({ text: item.str, font: item.fontName, x0: Math.min(...xs), x1: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys), size });
  }
  return { runs, rotated };
}
