const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

/**
 * FNV-1a, 32-bit, over the UTF-8 bytes of `text`. Hashing bytes rather than UTF-16 code units keeps
 * the values equal to every other FNV-1a implementation, so stored hash vectors stay reproducible.
 */
export function fnv1a32(text: string): number {
  let hash = OFFSET_BASIS;
  const step = (byte: number): void => {
    hash = Math.imul(hash ^ byte, PRIME);
  };
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      step(cp);
    } else if (cp < 0x800) {
      step(0xc0 | (cp >> 6));
      step(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      step(0xe0 | (cp >> 12));
      step(0x80 | ((cp >> 6) & 0x3f));
      step(0x80 | (cp & 0x3f));
    } else {
      step(0xf0 | (cp >> 18));
      step(0x80 | ((cp >> 12) & 0x3f));
      step(0x80 | ((cp >> 6) & 0x3f));
      step(0x80 | (cp & 0x3f));
    }
  }
  return hash >>> 0;
}
