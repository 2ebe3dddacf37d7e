/**
 * One read per key per reconcile: every connection that needs a target, an identity, a key action
 * or a role assignment list asks the memo, and only the first ask goes out (DESIGN "reads are
 * shared per cluster, per target, per identity, not per connection"). Keys compare
 * case-insensitively, as ARM ids and principal ids do.
 */
export class Memo<V> {
  private readonly entries = new Map<string, Promise<V>>();

  get(key: string, load: () => Promise<V>): Promise<V> {
    const k = key.toLowerCase();
    let entry = this.entries.get(k);
    if (entry === undefined) {
      entry = load();
      this.entries.set(k, entry);
    }
    return entry;
  }

  /** Everything asked for, once settled, by lower-cased key. */
  async settled(): Promise<Map<string, V>> {
    const pairs = await Promise.all([...this.entries].map(async ([k, v]) => [k, await v] as const));
    return new Map(pairs);
  }
}
