import type BetterSqlite3 from 'better-sqlite3';

/**
 * Versioned schema. Each entry moves the database from version i to i+1 inside one transaction;
 * `pragma user_version` records where a file is. Never edit a shipped migration: append a new one.
 */
const MIGRATIONS: readonly string[] = [
  `
  create table datasets (
    seq integer primary key,
    id text not null unique,
    tenant_id text not null,
    name text not null,
    description text not null default '',
    avatar text not null default '',
    language text not null,
    permission text not null,
    chunk_method text not null,
    parser_config text not null,
    embedding_model text not null,
    embedding_dimension integer not null default 0,
    similarity_threshold real not null,
    vector_similarity_weight real not null,
    document_count integer not null default 0,
    chunk_count integer not null default 0,
    token_count integer not null default 0,
    create_time integer not null,
    update_time integer not null
  );
  create index datasets_by_tenant on datasets (tenant_id, create_time);

  create table documents (
    seq integer primary key,
    id text not null unique,
    tenant_id text not null,
    dataset_id text not null references datasets (id) on delete cascade,
    name text not null,
    type text not null,
    size integer not null,
    chunk_method text not null,
    parser_config text not null,
    run text not null default 'UNSTART',
    progress real not null default 0,
    progress_msg text not null default '',
    process_begin_at integer,
    process_duration real not null default 0,
    chunk_count integer not null default 0,
    token_count integer not null default 0,
    enabled integer not null default 1,
    create_time integer not null,
    update_time integer not null
  );
  create index documents_by_dataset on documents (dataset_id, create_time);
  create index documents_by_run on documents (run);

  create table files (
    document_id text primary key references documents (id) on delete cascade,
    data blob not null
  );

  create table chunks (
    seq integer primary key,
    id text not null unique,
    dataset_id text not null references datasets (id) on delete cascade,
    document_id text not null references documents (id) on delete cascade,
    content text not null,
    content_terms text not null,
    keyword_terms text not null,
    title_terms text not null,
    important_keywords text not null default '[]',
    available integer not null default 1,
    positions text not null default '[]',
    image_id text not null default '',
    dimension integer not null default 0,
    create_time integer not null
  );
  create index chunks_by_document on chunks (document_id, seq);
  create index chunks_by_dataset on chunks (dataset_id);

  -- Terms arrive already analysed (stemmed, CJK-segmented, space-separated), so FTS5's 'ascii'
  -- tokenizer only has to split on spaces: non-ASCII letters are token characters to it.
  -- Contentless: the text lives in chunks; FTS keeps only the index. \`scope\` holds one token per
  -- chunk naming its dataset, so a search restricted to datasets ranks inside FTS5 alone.
  create virtual table chunk_fts using fts5 (
    scope, title, keywords, content,
    tokenize = 'ascii', content = '', contentless_delete = 1
  );
  create virtual table chunk_terms using fts5vocab (chunk_fts, 'row');

  -- Cascades from datasets/documents reach chunks; virtual tables need a trigger.
  create trigger chunks_after_delete after delete on chunks begin
    delete from chunk_fts where rowid = old.seq;
  end;
  `,
  `
  -- A chat's settings are read and written whole, so they live as one JSON document; the name is a
  -- column because uniqueness is checked on it.
  create table chats (
    seq integer primary key,
    id text not null unique,
    tenant_id text not null,
    name text not null,
    config text not null,
    create_time integer not null,
    update_time integer not null
  );
  create index chats_by_tenant on chats (tenant_id, create_time);

  create table sessions (
    seq integer primary key,
    id text not null unique,
    tenant_id text not null,
    chat_id text not null references chats (id) on delete cascade,
    name text not null,
    create_time integer not null,
    update_time integer not null
  );
  create index sessions_by_chat on sessions (chat_id, create_time);

  -- A question and its answer share one id, as in RAGFlow.
  create table messages (
    seq integer primary key,
    id text not null,
    session_id text not null references sessions (id) on delete cascade,
    role text not null,
    content text not null,
    reference text,
    create_time integer not null
  );
  create index messages_by_session on messages (session_id, seq);
  `,
  `
  -- API keys are stored as SHA-256 digests only: a leaked database does not leak usable keys.
  create table api_keys (
    seq integer primary key,
    id text not null unique,
    tenant_id text not null,
    digest text not null unique,
    hint text not null,
    create_time integer not null
  );
  `,
  `
  -- Provenance and typed fields (issue 6): JSON objects, '{}' for chunks written before them.
  alter table chunks add column source text not null default '{}';
  alter table chunks add column fields text not null default '{}';
  `,
  `
  -- Chunk generations (decision 31): a parse writes its chunks under the document's next generation
  -- in small transactions, invisible to readers, then makes them current in one tiny transaction.
  -- Re-parsing yields the same chunk ids, so an id is unique per generation only, which SQLite can
  -- only change by rebuilding the table. seq is kept: FTS5 and sqlite-vec rows are keyed by it.
  alter table documents add column chunk_generation integer not null default 0;
  drop trigger chunks_after_delete;
  create table chunks_by_generation (
    seq integer primary key,
    id text not null,
    dataset_id text not null references datasets (id) on delete cascade,
    document_id text not null references documents (id) on delete cascade,
    generation integer not null default 0,
    content text not null,
    content_terms text not null,
    keyword_terms text not null,
    title_terms text not null,
    important_keywords text not null default '[]',
    available integer not null default 1,
    positions text not null default '[]',
    image_id text not null default '',
    dimension integer not null default 0,
    create_time integer not null,
    source text not null default '{}',
    fields text not null default '{}',
    unique (id, generation)
  );
  insert into chunks_by_generation (seq, id, dataset_id, document_id, content, content_terms, keyword_terms,
    title_terms, important_keywords, available, positions, image_id, dimension, create_time, source, fields)
  select seq, id, dataset_id, document_id, content, content_terms, keyword_terms,
    title_terms, important_keywords, available, positions, image_id, dimension, create_time, source, fields
  from chunks;
  drop table chunks;
  alter table chunks_by_generation rename to chunks;
  create index chunks_by_document on chunks (document_id, generation, seq);
  create index chunks_by_dataset on chunks (dataset_id);
  create trigger chunks_after_delete after delete on chunks begin
    delete from chunk_fts where rowid = old.seq;
  end;
  `,
];

/** Brings the file to the latest schema (`target`: an older one, for tests of the upgrades). */
export function migrate(db: BetterSqlite3.Database, target = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The database was written by a newer ragflow-ts (schema ${current}, this version knows ${MIGRATIONS.length}).`,
    );
  }
  for (let version = current; version < target; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
