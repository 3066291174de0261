/**
 * Text clean-up for PDF text layers. Ligatures (ﬁ, ﬂ) and Arabic presentation forms are folded to
 * ordinary letters so words are searchable.
 */
const COMPATIBILITY_FORMS = /[\ufb00-\ufdff\ufe70-\ufeff]+/g;
const INVISIBLE = /[\u200b\u200c\u200d\u2060\ufeff]/g;
/** Glyphs of fonts without a usable Unicode map come out as control characters: noise, not text. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * pdf.js reverses right-to-left text character by character, so a lam-alef ligature glyph (one glyph,
 * two letters) comes out with its letters swapped. After the article "ال" this yields alef + hamza-alef
 * + lam, which never occurs in real Arabic; swap those back.
 */
const SWAPPED_LAM_ALEF = /\u0627([\u0623\u0625\u0622])\u0644/g;

export function normalizePdfText(text: string): string {
  return text
    .replace(COMPATIBILITY_FORMS, (m) => m.normalize('NFKC'))
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(SWAPPED_LAM_ALEF, '\u0627\u0644$1');
}
