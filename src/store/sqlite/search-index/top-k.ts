/**
 * The best `k` of a stream of (score, tie) pairs: a binary min-heap on score (and, among equal
 * scores, the larger tie value is the worse), so each rejected item costs one comparison.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly ties: Float64Array;
  private readonly items: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.ties = new Float64Array(k);
    this.items = new Int32Array(k);
  }

  /** True when (a score, a tie) ranks below (b score, b tie). */
  private static worse(as: number, at: number, bs: number, bt: number): boolean {
    return as < bs || (as === bs && at > bt);
  }

  /** The score an item must beat to enter (−Infinity until full). */
  floor(): number {
    return this.size < this.k ? -Infinity : (this.scores[0] as number);
  }

  push(score: number, tie: number, item: number): void {
    const k = this.k;
    if (k === 0) return;
    const s = this.scores;
    const t = this.ties;
    const it = this.items;
    if (this.size < k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopK.worse(score, tie, s[parent] as number, t[parent] as number)) break;
        s[i] = s[parent] as number;
        t[i] = t[parent] as number;
        it[i] = it[parent] as number;
        i = parent;
      }
      s[i] = score;
      t[i] = tie;
      it[i] = item;
      return;
    }
    if (!TopK.worse(s[0] as number, t[0] as number, score, tie)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= k) break;
      const r = l + 1;
      let c = l;
      if (r < k && TopK.worse(s[r] as number, t[r] as number, s[l] as number, t[l] as number)) c = r;
      if (!TopK.worse(s[c] as number, t[c] as number, score, tie)) break;
      s[i] = s[c] as number;
      t[i] = t[c] as number;
      it[i] = it[c] as number;
      i = c;
    }
    s[i] = score;
    t[i] = tie;
    it[i] = item;
  }

  /** The kept items, best first. */
  sorted(): { score: number; tie: number; item: number }[] {
    const out: { score: number; tie: number; item: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ score: this.scores[i] as number, tie: this.ties[i] as number, item: this.items[i] as number });
    return out.sort((a, b) => b.score - a.score || a.tie - b.tie);
  }
}
