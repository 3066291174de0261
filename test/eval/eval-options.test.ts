import { describe, expect, it } from 'vitest';
import { parseEvalOptions } from '../../bin/cli/eval-options.js';

const parse = (...args: string[]) => parseEvalOptions(args, {});

describe('ragflow eval --chunk-token-num', () => {
  it('a BEIR import creates its dataset with 512-token chunks unless told otherwise', () => {
    expect(parse('--beir', '/data/scifact')?.chunkTokenNum).toBe(512);
    expect(parse('--beir', '/data/scifact', '--chunk-token-num', '128')?.chunkTokenNum).toBe(128);
  });

  it('refuses a budget out of range, and one without --beir', () => {
    expect(() => parse('--beir', '/d', '--chunk-token-num', '0')).toThrow(/--chunk-token-num must be an integer 1-2048, got "0"/);
    expect(() => parse('--beir', '/d', '--chunk-token-num', 'many')).toThrow(/--chunk-token-num must be an integer/);
    expect(() => parse('--dataset', 'x', '--queries', 'q', '--qrels', 'r', '--chunk-token-num', '256')).toThrow(
      /--chunk-token-num is only used with --beir/,
    );
  });
});
