/**
 * FTS5's `ascii` tokenizer, as the in-memory index must see exactly the tokens FTS5 indexed (and
 * count them the same way, since BM25's length normalisation depends on it): ASCII letters and
 * digits are token characters, and so is every non-ASCII character (FTS5 treats each byte >= 0x80
 * as part of a token, and a UTF-16 code unit >= 0x80 always comes from such bytes); everything
 * else separates. ASCII letters are folded to lower case.
 */
export function fts5AsciiTokens(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  let folded = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const isToken = c >= 0x80 || (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (isToken) {
      if (start < 0) start = i;
      if (c >= 65 && c <= 90) folded = true;
    } else if (start >= 0) {
      const token = text.slice(start, i);
      out.push(folded ? asciiLower(token) : token);
      start = -1;
      folded = false;
    }
  }
  return out;
}

/** Lower-cases ASCII letters only, as FTS5 does (toLowerCase would also fold non-ASCII letters). */
function asciiLower(token: string): string {
  let out = '';
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : token[i];
  }
  return out;
}
