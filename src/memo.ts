// One memo for the values every stage computes again and again over a repository (parsed
// condition texts, compiled regexes, each predicate's rendering decisions): a plain map, emptied
// when it reaches its limit, so memory stays flat over any number of rules. A plain map rather
// than a weak one: weak maps cost the garbage collector per entry, more than they save here.

export class BoundedMemo<K, V extends NonNullable<unknown> | null> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The value for key, computed (and kept) the first time; a computation that throws keeps nothing. */
  get(key: K, compute: (key: K) => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute(key);
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
