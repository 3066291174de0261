import type { ParsedFile, ParseContext, Parser, Section } from '../types.js';
import { IngestError } from '../types.js';
import { decodeText } from '../text-decode.js';
import { Yielder } from '../../util/yield.js';
import { jsonErrorOffset, jsonErrorReason, lineAndColumn } from './json-error.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type PathStep = string | number;

/** RAGFlow's JSON splitter aims at about two characters per budget token per piece. */
const DEFAULT_CHUNK_TOKENS = 512;

export function maxJsonChars(context: ParseContext): number {
  return 2 * (context.chunkTokenNum ?? DEFAULT_CHUNK_TOKENS);
}

function isContainer(value: Json): value is Json[] | { [key: string]: Json } {
  return typeof value === 'object' && value !== null;
}

/** Puts a piece back under its path so it still says where it came from. */
function wrap(path: readonly PathStep[], value: Json): Json {
  let out = value;
  for (let k = path.length - 1; k >= 0; k--) {
    const step = path[k];
    out = typeof step === 'number' ? [out] : { [step ?? '']: out };
  }
  return out;
}

function pretty(value: Json): string {
  return JSON.stringify(value, null, 2);
}

/**
 * Approximate length of the pretty-printed value, but stops counting past `limit`: deciding whether
 * a member fits must not walk (or stringify) a huge subtree.
 */
function boundedSize(value: Json, limit: number, depth = 1): number {
  if (!isContainer(value)) return JSON.stringify(value).length;
  let size = 2 + 2 * depth;
  const members = Array.isArray(value) ? value.map((v): [string, Json] => ['', v]) : Object.entries(value);
  for (const [key, child] of members) {
    size += (key ? JSON.stringify(key).length + 2 : 0) + 2 * depth + 2 + boundedSize(child, limit - size, depth + 1);
    if (size > limit) return size;
  }
  return size;
}

/**
 * Splits a JSON value into pieces of about `maxChars` characters of pretty JSON, each a meaningful
 * sub-object: members of an object (or elements of an array) are packed together while they fit, a
 * member too large on its own is split the same way one level down.
 */
export async function splitJson(root: Json, maxChars: number, yielder: Yielder): Promise<string[]> {
  const pieces: string[] = [];
  const visit = async (value: Json, path: PathStep[]): Promise<void> => {
    await yielder.tick();
    if (!isContainer(value) || boundedSize(value, maxChars, path.length + 1) <= maxChars) {
      pieces.push(pretty(wrap(path, value)));
      return;
    }
    const isArray = Array.isArray(value);
    const entries: Array<[PathStep, Json]> = isArray
      ? value.map((v, i): [PathStep, Json] => [i, v])
      : Object.entries(value);
    let group: Array<[PathStep, Json]> = [];
    let size = 0;
    const flush = (): void => {
      if (group.length === 0) return;
      const part: Json = isArray ? group.map(([, v]) => v) : Object.fromEntries(group);
      pieces.push(pretty(wrap(path, part)));
      group = [];
      size = 0;
    };
    for (const [key, child] of entries) {
      await yielder.tick();
      const childSize = boundedSize(child, maxChars, path.length + 2) + (isArray ? 0 : String(key).length + 4);
      if (childSize > maxChars && isContainer(child)) {
        flush();
        await visit(child, [...path, key]);
        continue;
      }
      if (group.length > 0 && size + childSize > maxChars) flush();
      group.push([key, child]);
      size += childSize;
    }
    flush();
  };
  await visit(root, []);
  return pieces;
}

function parseJsonText(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    const where = lineAndColumn(text, jsonErrorOffset(text));
    throw new IngestError(`Invalid JSON${what} at ${where}: ${jsonErrorReason(error)}`, { cause: error });
  }
}

async function parseJson(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const text = decodeText(bytes);
  if (!text.trim()) return { sections: [] };
  const value = parseJsonText(text, '');
  const yielder = new Yielder(context.signal);
  const pieces = await splitJson(value, maxJsonChars(context), yielder);
  // Each piece is a whole sub-object: the chunker must not cut it at line ends.
  return { sections: pieces.map((text): Section => ({ kind: 'text', text, keepWhole: true })) };
}

async function parseJsonLines(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const lines = decodeText(bytes).split('\n');
  const yielder = new Yielder(context.signal);
  const maxChars = maxJsonChars(context);
  const sections: Section[] = [];
  for (let n = 0; n < lines.length; n++) {
    await yielder.tick();
    const line = (lines[n] ?? '').trim();
    if (!line) continue;
    let value: Json;
    try {
      value = JSON.parse(line) as Json;
    } catch (error) {
      const column = jsonErrorOffset(line) + 1;
      throw new IngestError(`Invalid JSON on line ${n + 1}, column ${column}: ${jsonErrorReason(error)}`, { cause: error });
    }
    const pieces = line.length <= maxChars ? [line] : await splitJson(value, maxChars, yielder);
    for (const text of pieces) sections.push({ kind: 'text', text, keepWhole: true });
  }
  return { sections };
}

export const jsonParser: Parser = {
  type: 'json',
  parse: parseJson,
};

export const jsonlParser: Parser = {
  type: 'jsonl',
  parse: parseJsonLines,
};
