/** What the peer benchmark needs from an engine: build once from texts + vectors, then answer top-k queries. */
export interface PeerInput {
  /** Document texts ("title text" for SciFact). */
  texts: readonly string[];
  /** One 256-dim hash@Builtin vector per text (the same vectors for every engine). */
  vectors: readonly Float32Array[];
}

export interface PeerEngine {
  readonly name: string;
  /** True when the engine embeds the question itself (then `search` gets an empty vector). */
  readonly embedsQueries?: boolean;
  /** Indexes the corpus; the caller times this. */
  build(input: PeerInput): Promise<void>;
  /** Top `k` indices into `input.texts`, best first. `vector` is the query's hash@Builtin vector. */
  search(question: string, vector: Float32Array, k: number): Promise<number[]>;
  close(): Promise<void>;
}
