import { ErrorCode, RagFlowError } from '../errors.js';

/**
 * Checks a remote provider's vectors before they reach the index: a short or non-numeric answer
 * would otherwise be stored and only surface later as nonsense search results.
 */
export function checkVectors(value: unknown, expected: number, source: string): Float32Array[] {
  if (!Array.isArray(value) || value.length !== expected) {
    const got = Array.isArray(value) ? `${value.length} vectors` : 'no vector list';
    throw new RagFlowError(ErrorCode.Exception, `${source} returned ${got} for ${expected} texts`);
  }
  return value.map((vector: unknown, i) => toVector(vector, i, source));
}

export function toVector(value: unknown, position: number, source: string): Float32Array {
  const bad = (): RagFlowError =>
    new RagFlowError(ErrorCode.Exception, `${source} returned an invalid vector at position ${position}`);
  if (!Array.isArray(value) || value.length === 0) throw bad();
  const vector = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const x: unknown = value[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw bad();
    vector[i] = x;
  }
  return vector;
}
