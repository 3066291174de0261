import type BetterSqlite3 from 'better-sqlite3';
import type { NamedQuery } from '../types.js';

export type Sql = (source: string) => BetterSqlite3.Statement;

/** Names sort case-insensitively, as RAGFlow's MySQL collation does. */
export const orderColumn = (orderBy: string): string => (orderBy === 'name' ? 'lower(name)' : orderBy);

export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/**
 * One page of `table` rows whose `scopeColumn` equals `scopeValue`, filtered by exact id,
 * case-insensitive name and any extra `filters`, ordered, with the total before paging. Column and table names come from
 * this module's callers, never from input.
 */
export function listNamed<Row>(
  sql: Sql,
  table: string,
  scopeColumn: string,
  scopeValue: string,
  q: Omit<NamedQuery, 'orderBy'> & { orderBy: string },
  filters: readonly { clause: string; value: unknown }[] = [],
): { rows: Row[]; total: number } {
  const where = [`${scopeColumn} = ?`, ...filters.map((f) => f.clause)];
  const params: unknown[] = [scopeValue, ...filters.map((f) => f.value)];
  if (q.name !== undefined) {
    where.push('lower(name) = lower(?)');
    params.push(q.name);
  }
  if (q.id !== undefined) {
    where.push('id = ?');
    params.push(q.id);
  }
  const clause = where.join(' and ');
  const dir = q.desc ? 'desc' : 'asc';
  const order = orderColumn(q.orderBy);
  const total = (sql(`select count(*) as n from ${table} where ${clause}`).get(...params) as { n: number }).n;
  const rows = sql(`select * from ${table} where ${clause} order by ${order} ${dir}, seq ${dir} limit ? offset ?`).all(
    ...params,
    q.pageSize,
    (q.page - 1) * q.pageSize,
  ) as Row[];
  return { rows, total };
}
