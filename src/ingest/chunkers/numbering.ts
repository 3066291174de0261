/**
 * Numbered divisions at the start of a line: "第十二条", "Chapter IV", "Article 12", "§ 3", "2.1".
 * Like RAGFlow's bullet categories, the patterns come in families (one numbering style each); a
 * document is read with the one family that fits it best, so that "1." lines in a law written with
 * "Article N" stay ordinary list items instead of becoming sections.
 */

export type NumberingFamily = 'zh-keyword' | 'en-keyword' | 'decimal' | 'zh-outline';

export interface NumberedLine {
  family: NumberingFamily;
  /** The division: '编', '章', '节', '条', 'part', 'chapter', 'section', 'article', or a depth for outlines. */
  kind: string;
  /** The number with its keyword as written: "第十二条", "Article 12", "§ 12", "2.1". */
  label: string;
  /** The rest of the line after the number. */
  rest: string;
  /** The number's value ("十二", "XII", "twelve" and "12" are 12); for outlines, its first part. */
  value?: number;
}

const ZH_NUMBER = '[零〇一二三四五六七八九十百千两0-9０-９]+';
const ZH_KEYWORD = new RegExp(`^\\s*(第\\s*(${ZH_NUMBER})\\s*(编|部分|章|节|条))(?![款项])[\\s:：、.．]*(.*)$`, 'u');

/** "[Cc]hapter|CHAPTER": keywords in title, lower or upper case, without a case-insensitive flag. */
const anyCase = (word: string): string =>
  `[${word[0]?.toUpperCase()}${word[0]}]${word.slice(1)}|${word.toUpperCase()}`.replace(/\./g, '\\.');
const NUMBER_WORDS = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';
// Roman numerals only in capitals: lower-case words such as "mix" or "did" spell valid numerals.
const EN_NUMBER = [
  '\\d{1,4}[a-z]?(?:\\.\\d{1,3})*',
  '(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![A-Za-z])',
  ...NUMBER_WORDS.split(' ').map(anyCase),
].join('|');
const EN_KEYWORD_WORDS = ['part', 'title', 'chapter', 'section', 'sec.', 'article', 'art.'].map(anyCase).join('|');
const EN_KEYWORD = new RegExp(`^\\s*((${EN_KEYWORD_WORDS}|§{1,2})\\s*(${EN_NUMBER}))(?=[\\s.:)\\-–—]|$)[\\s.:)\\-–—]*(.*)$`);
const EN_KINDS: Readonly<Record<string, string>> = { 'sec.': 'section', 'art.': 'article', '§': 'article', '§§': 'article' };

// "1 Introduction", "2.1. Data", "3、方法"; at most five levels, numbers of one or two digits (years are not outlines).
const DECIMAL = /^\s*(\d{1,2}(?:\.\d{1,2}){0,4})(?:\.?\s+|\.?(?=\p{Script=Han})|、\s*)(?=[\p{L}(（"“'‘])(.*)$/u;
const ZH_OUTLINE_1 = /^\s*([一二三四五六七八九十百]+)\s*、\s*(.*)$/u;
const ZH_OUTLINE_2 = /^\s*([(（]\s*[一二三四五六七八九十百]+\s*[)）])\s*(.*)$/u;

/** List markers that start a new paragraph but never a section: "(1)", "(a)", "a)", "①", "•". */
const LIST_ITEM = /^\s*(?:[(（]\s*(?:\d{1,3}|[A-Za-z]|[ivx]{1,5}|[一二三四五六七八九十]+)\s*[)）]|(?:\d{1,3}|[A-Za-z]|[ivx]{1,5})\)\s|[①-⑳]|[•·▪‣◦*–-]\s)/u;

/**
 * English titles and provisions start with a capital; "Article 5 shall apply" or "1.5 million
 * people" is a sentence that happens to start with a number.
 */
function continuesSentence(rest: string): boolean {
  return /^\p{Ll}/u.test(rest);
}

const ROMAN: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
const CHINESE_DIGITS = '零一二三四五六七八九';
const CHINESE_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/** The value of a number as divisions write it: digits, Roman capitals, English words, Chinese numerals. */
export function numberValue(written: string): number | undefined {
  const text = written.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim();
  const digits = /^\d+/.exec(text);
  if (digits) return Number(digits[0]);
  const word = NUMBER_WORDS.split(' ').indexOf(text.toLowerCase());
  if (word >= 0) return word + 1;
  if (/^[IVXLCDM]+$/.test(text)) {
    let total = 0;
    for (let i = 0; i < text.length; i++) {
      const v = ROMAN[text[i] as string] ?? 0;
      total += v < (ROMAN[text[i + 1] as string] ?? 0) ? -v : v;
    }
    return total;
  }
  if (!/^[零〇一二三四五六七八九十百千两]+$/u.test(text)) return undefined;
  let total = 0;
  let digit = 0;
  for (const ch of text.replace(/〇/g, '零').replace(/两/g, '二')) {
    const unit = CHINESE_UNITS[ch];
    if (unit) {
      total += (digit || 1) * unit;
      digit = 0;
    } else {
      digit = CHINESE_DIGITS.indexOf(ch);
    }
  }
  return total + digit;
}

function withValue(line: NumberedLine, written: string): NumberedLine {
  const value = numberValue(written);
  return value === undefined ? line : { ...line, value };
}

function matchFamily(family: NumberingFamily, line: string): NumberedLine | undefined {
  switch (family) {
    case 'zh-keyword': {
      const m = ZH_KEYWORD.exec(line);
      return m ? withValue({ family, kind: m[3] as string, label: (m[1] as string).replace(/\s+/g, ''), rest: (m[4] ?? '').trim() }, m[2] as string) : undefined;
    }
    case 'en-keyword': {
      const m = EN_KEYWORD.exec(line);
      if (!m || continuesSentence(m[4] ?? '')) return undefined;
      const word = (m[2] as string).toLowerCase();
      return withValue({ family, kind: EN_KINDS[word] ?? word, label: (m[1] as string).replace(/\s+/g, ' '), rest: (m[4] ?? '').trim() }, m[3] as string);
    }
    case 'decimal': {
      const m = DECIMAL.exec(line);
      if (!m || continuesSentence(m[2] ?? '')) return undefined;
      const label = m[1] as string;
      return withValue({ family, kind: String(label.split('.').length), label, rest: (m[2] ?? '').trim() }, label);
    }
    case 'zh-outline': {
      const first = ZH_OUTLINE_1.exec(line);
      if (first) return { family, kind: '1', label: `${first[1] as string}、`, rest: (first[2] ?? '').trim() };
      const second = ZH_OUTLINE_2.exec(line);
      return second ? { family, kind: '2', label: (second[1] as string).replace(/\s+/g, ''), rest: (second[2] ?? '').trim() } : undefined;
    }
  }
}

export const FAMILIES: readonly NumberingFamily[] = ['zh-keyword', 'en-keyword', 'decimal', 'zh-outline'];

/** The division this line starts in `family`, if any. */
export function matchNumbering(line: string, family: NumberingFamily): NumberedLine | undefined {
  return matchFamily(family, line);
}

/** A line that opens a list item or a division of another family: a paragraph starts there. */
export function startsParagraph(line: string, family: NumberingFamily | undefined): boolean {
  if (LIST_ITEM.test(line)) return true;
  return FAMILIES.some((f) => f !== family && matchFamily(f, line) !== undefined);
}

/**
 * Keyword numbering ("Article 12", "第十二条") is rarely an accident at a line start; "1 " or "一、"
 * often is (list items, figures in tables), so a keyword line counts double when families compete.
 */
const FAMILY_WEIGHT: Readonly<Record<NumberingFamily, number>> = { 'zh-keyword': 2, 'en-keyword': 2, decimal: 1, 'zh-outline': 1 };

/** A family needs this much weight (two outline lines or one keyword line) to be believed. */
const MIN_FAMILY_SCORE = 2;

/**
 * RAGFlow's idea (bullets_category): the numbering style that the most lines follow is the
 * document's. Lines are added one at a time (headings and line starts), so that a caller can pause
 * between them on a large file.
 */
export class FamilyVote {
  private readonly scores = new Map<NumberingFamily, number>();
  private readonly kinds = new Map<NumberingFamily, Map<string, number>>();
  /** The latest number of each keyword division ("Chapter 3" -> chapter: 3). */
  private readonly latest = new Map<NumberingFamily, Map<string, number | undefined>>();

  /** `allowed` says which families this line may vote for. */
  add(line: string, allowed: (family: NumberingFamily) => boolean = () => true): void {
    for (const family of FAMILIES) {
      const m = allowed(family) ? matchFamily(family, line) : undefined;
      if (!m) continue;
      // "3.2 Results" after "Chapter 3" is a section of that chapter: a vote for the chapters' numbering.
      const keyword = family === 'decimal' && Number(m.kind) >= 2 ? this.keywordFamilyNumbered(m.value) : undefined;
      this.scores.set(keyword ?? family, (this.scores.get(keyword ?? family) ?? 0) + FAMILY_WEIGHT[family]);
      if (keyword) continue;
      const kinds = this.kinds.get(family) ?? new Map<string, number>();
      kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
      this.kinds.set(family, kinds);
      if (family === 'en-keyword' || family === 'zh-keyword') {
        const latest = this.latest.get(family) ?? new Map<string, number | undefined>();
        latest.set(m.kind, m.value);
        this.latest.set(family, latest);
      }
    }
  }

  private keywordFamilyNumbered(value: number | undefined): NumberingFamily | undefined {
    if (value === undefined) return undefined;
    for (const [family, latest] of this.latest) if ([...latest.values()].includes(value)) return family;
    return undefined;
  }

  winner(): NumberingFamily | undefined {
    let best: NumberingFamily | undefined;
    let bestScore = MIN_FAMILY_SCORE - 1;
    for (const family of FAMILIES) {
      const score = this.scores.get(family) ?? 0;
      if (score > bestScore) {
        best = family;
        bestScore = score;
      }
    }
    return best;
  }

  /** How many lines of each division the family found ("chapter" -> 3, "article" -> 40). */
  kindCounts(family: NumberingFamily): ReadonlyMap<string, number> {
    return this.kinds.get(family) ?? new Map();
  }
}

/** Outermost first. Chinese law: 编 > 章 > 节 > 条; European law: Part > Title > Chapter > Section > Article. */
const KEYWORD_ORDER: Readonly<Record<string, readonly string[]>> = {
  'zh-keyword': ['编', '部分', '章', '节', '条'],
  'en-keyword': ['part', 'title', 'chapter', 'section', 'article'],
};

/**
 * Levels (1 = outermost) of a family's divisions in one document. Outlines are as deep as their
 * numbers; keywords follow the usual legal order, except that a document with more Sections than
 * Articles nests them the other way (the US style, "Article I, Section 2"): an outer division is
 * always the rarer one, whereas which comes first says nothing when early chapters have no sections.
 */
export class NumberingLevels {
  private readonly order: string[];

  constructor(
    readonly family: NumberingFamily,
    kindCounts: ReadonlyMap<string, number> = new Map(),
  ) {
    this.order = [...(KEYWORD_ORDER[family] ?? [])];
    const sections = kindCounts.get('section') ?? 0;
    const articles = kindCounts.get('article') ?? 0;
    if (family === 'en-keyword' && articles > 0 && sections > articles) {
      this.order.splice(this.order.indexOf('article'), 1);
      this.order.splice(this.order.indexOf('section'), 0, 'article');
    }
  }

  levelOf(line: NumberedLine): number {
    if (this.order.length === 0) return Number(line.kind);
    return this.order.indexOf(line.kind) + 1;
  }
}
