import { describe, expect, it } from 'vitest';
import { fnv1a32 } from '../../src/util/fnv1a.js';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is C3 A9 in UTF-8; hashing those two bytes by hand must agree.
    let h = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(h);
    expect(fnv1a32('😀')).not.toBe(fnv1a32('\ud83d'));
  });
});
