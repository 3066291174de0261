/** How much of a file is inspected to decide whether it is text. */
const SNIFF_BYTES = 8 * 1024;

type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

function bomEncoding(bytes: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/**
 * True when the start of the file reads as text: valid UTF-8 without NUL bytes, or anything with a
 * UTF-16 byte-order mark (spreadsheet exports on Windows produce those).
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  const { encoding, bomLength } = bomEncoding(bytes);
  const head = bytes.subarray(bomLength, bomLength + SNIFF_BYTES);
  let text: string;
  try {
    // stream:true so a multi-byte character cut at the sniff boundary is not an error.
    text = new TextDecoder(encoding, { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    // Tab, LF, FF, CR and ESC appear in real text files; other C0 controls mean binary.
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 27) control++;
  }
  return control <= text.length * 0.05;
}

/** Whole-file decode: BOM removed, line ends normalised to LF, invalid bytes replaced. */
export function decodeText(bytes: Uint8Array): string {
  const { encoding, bomLength } = bomEncoding(bytes);
  const text = new TextDecoder(encoding).decode(bytes.subarray(bomLength));
  return text.replace(/\r\n?/g, '\n');
}
