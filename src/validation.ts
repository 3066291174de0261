import { argumentError } from './errors.js';
import type { NamedQuery } from './store/types.js';

/** Small argument checks with messages that name the field: every public method validates its input. */

export function requireString(field: string, value: unknown, options: { max?: number; trim?: boolean } = {}): string {
  if (typeof value !== 'string') throw argumentError(`\`${field}\` must be a string`);
  const text = options.trim === false ? value : value.trim();
  if (text.length === 0) throw argumentError(`\`${field}\` must not be empty`);
  if (options.max !== undefined && text.length > options.max) {
    throw argumentError(`\`${field}\` must be at most ${options.max} characters`);
  }
  return text;
}

export function optionalNumber(
  field: string,
  value: unknown,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw argumentError(`\`${field}\` must be a number`);
  if (range.integer && !Number.isInteger(n)) throw argumentError(`\`${field}\` must be an integer`);
  if (range.min !== undefined && n < range.min) throw argumentError(`\`${field}\` must be >= ${range.min}`);
  if (range.max !== undefined && n > range.max) throw argumentError(`\`${field}\` must be <= ${range.max}`);
  return n;
}

export function optionalBoolean(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  throw argumentError(`\`${field}\` must be a boolean`);
}

export function optionalEnum<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw argumentError(`\`${field}\` must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

export function stringList(field: string, value: unknown, options: { allowEmpty?: boolean } = {}): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw argumentError(`\`${field}\` must be a list of non-empty strings`);
  }
  if (list.length === 0 && !options.allowEmpty) throw argumentError(`\`${field}\` must not be empty`);
  return [...new Set(list as string[])];
}

/** RAGFlow pages are 1-based and `page=0` means the first page. */
export function pageArgs(
  query: { page?: unknown; pageSize?: unknown },
  defaults: { pageSize: number; maxPageSize: number },
): { page: number; pageSize: number } {
  const page = Math.max(1, optionalNumber('page', query.page, 1, { integer: true, min: 0 }));
  const pageSize = optionalNumber('page_size', query.pageSize, defaults.pageSize, {
    integer: true,
    min: 1,
    max: defaults.maxPageSize,
  });
  return { page, pageSize };
}

/** How datasets, chats and sessions are listed: optional exact id or case-insensitive name, paged. */
export interface ListQuery {
  name?: string;
  id?: string;
  page?: number;
  pageSize?: number;
  orderBy?: 'create_time' | 'update_time' | 'name';
  /** Default true: newest first. */
  desc?: boolean;
}

export function namedQuery(query: ListQuery): NamedQuery {
  const { page, pageSize } = pageArgs(query, { pageSize: 30, maxPageSize: 1024 });
  return {
    page,
    pageSize,
    orderBy: optionalEnum('orderby', query.orderBy, ['create_time', 'update_time', 'name'], 'create_time'),
    desc: optionalBoolean('desc', query.desc, true),
    ...(query.name !== undefined && { name: query.name }),
    ...(query.id !== undefined && { id: query.id }),
  };
}
