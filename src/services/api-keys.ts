import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EngineContext } from '../context.js';
import { dataError } from '../errors.js';
import { newId } from '../ids.js';
import { requireString } from '../validation.js';

export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  /** The key's first characters. */
  hint: string;
  createTime: number;
}

const PREFIX = 'ragflow-';
const digestOf = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * API keys for the HTTP adapter: `ragflow-` + 43 URL-safe characters (256 random bits), each bound to
 * one tenant. Only digests are stored; a key is shown once, when created. Every check reads the
 * store, so a key created or revoked by another process on the same database counts at once.
 */
export class ApiKeyService {
  constructor(private readonly ctx: EngineContext) {}

  async create(tenantId: string): Promise<{ key: string; info: ApiKeyInfo }> {
    const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = {
      id: newId(),
      tenantId: requireString('tenant', tenantId, { max: 255 }),
      digest: digestOf(key),
      hint: key.slice(0, PREFIX.length + 6),
      createTime: this.ctx.now(),
    };
    await this.ctx.store.insertApiKey(record);
    return { key, info: infoOf(record) };
  }

  async list(tenantId?: string): Promise<ApiKeyInfo[]> {
    return (await this.ctx.store.listApiKeys(tenantId)).map(infoOf);
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.ctx.store.deleteApiKey(requireString('id', id)))) throw dataError(`API key not found: ${id}`);
  }

  /** The tenant of a valid key, or undefined. The stored digest is compared in constant time. */
  async authenticate(key: unknown): Promise<string | undefined> {
    if (typeof key !== 'string' || !key.startsWith(PREFIX) || key.length > 512) return undefined;
    const digest = digestOf(key);
    const record = await this.ctx.store.findApiKey(digest);
    if (!record) return undefined;
    const same = timingSafeEqual(Buffer.from(record.digest, 'hex'), Buffer.from(digest, 'hex'));
    return same ? record.tenantId : undefined;
  }
}

const infoOf = (r: { id: string; tenantId: string; hint: string; createTime: number }): ApiKeyInfo => ({
  id: r.id,
  tenantId: r.tenantId,
  hint: r.hint,
  createTime: r.createTime,
});
