/**
 * The dataset's delimiter setting as a list of split strings, following RAGFlow: every character is
 * a delimiter on its own, text inside backticks is one multi-character delimiter, and the two
 * characters backslash + n mean a newline (RAGFlow's SDK stored its default that way).
 */
export function parseDelimiters(setting: string): string[] {
  const unescaped = setting.replace(/\\n/g, '\n');
  const found = new Set<string>();
  const singles = unescaped.replace(/`([^`]+)`/g, (_, multi: string) => {
    found.add(multi);
    return '';
  });
  for (const ch of singles) if (ch !== '`') found.add(ch);
  // Longest first, so "##" wins over "#" at the same place.
  return [...found].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function delimiterPattern(delimiters: readonly string[]): RegExp | null {
  if (delimiters.length === 0) return null;
  return new RegExp(delimiters.map(escapeRegExp).join('|'), 'gu');
}

/** Pieces of `text`, each ending with the delimiter that closed it (the last may have none). */
export function* splitKeepingDelimiters(text: string, pattern: RegExp | null): Generator<string> {
  if (!pattern) {
    if (text) yield text;
    return;
  }
  const re = new RegExp(pattern.source, pattern.flags);
  let start = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    if (end > start) yield text.slice(start, end);
    start = end;
  }
  if (start < text.length) yield text.slice(start);
}
