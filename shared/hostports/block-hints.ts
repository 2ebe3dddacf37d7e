/**
 * A per-process view of each cluster's blocks: their bits, ETags and free counts, used to choose a
 * block with room without reading the whole range per allocation. It is only a hint: every write
 * is conditional on the block's ETag in the store, so a stale view costs a retry, never a duplicate.
 */
import type { HostPortStateStore, StoredBlock } from './allocation-store.js';
import { blockCapacity, countFree, emptyBits, type RangeLayout } from './bitmap.js';
import type { Protocol } from './types.js';

interface Entry {
  readonly block: StoredBlock;
  readonly free: number;
}

interface View {
  readonly entries: Entry[];
  readonly loadedAt: number;
}

export class BlockHints {
  readonly #views = new Map<string, View>();
  /** Blocks with a commit in flight in this process: concurrent calls here avoid each other. */
  readonly #inFlight = new Set<string>();
  readonly #layout: RangeLayout;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(layout: RangeLayout, ttlMs: number, now: () => number) {
    this.#layout = layout;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  #entry(block: StoredBlock): Entry {
    return { block, free: countFree(block.bits, blockCapacity(this.#layout, block.index)) };
  }

  /** Reads every block of one protocol (one store query) and replaces the view. */
  async load(store: HostPortStateStore, partition: string, protocol: Protocol): Promise<void> {
    const stored = await store.readBlocks(partition, protocol);
    const entries: Entry[] = [];
    for (let index = 0; index < this.#layout.blockCount; index++) {
      entries.push(this.#entry({ protocol, index, bits: emptyBits(), etag: undefined }));
    }
    for (const block of stored) if (block.index < entries.length) entries[block.index] = this.#entry(block);
    this.#views.set(`${partition}|${protocol}`, { entries, loadedAt: this.#now() });
  }

  isFresh(partition: string, protocol: Protocol): boolean {
    const view = this.#views.get(`${partition}|${protocol}`);
    return view !== undefined && this.#now() - view.loadedAt < this.#ttlMs;
  }

  block(partition: string, protocol: Protocol, index: number): StoredBlock | undefined {
    return this.#views.get(`${partition}|${protocol}`)?.entries[index]?.block;
  }

  /** Records what a read or a successful write showed. */
  update(partition: string, block: StoredBlock): void {
    const view = this.#views.get(`${partition}|${block.protocol}`);
    if (view !== undefined && block.index < view.entries.length)
      view.entries[block.index] = this.#entry(block);
  }

  totalFree(partition: string, protocol: Protocol, exclude: ReadonlySet<number>): number {
    const entries = this.#views.get(`${partition}|${protocol}`)?.entries ?? [];
    return entries.reduce((sum, e) => (exclude.has(e.block.index) ? sum : sum + e.free), 0);
  }

  /**
   * A block with free ports, chosen at random weighted by its free count (so a nearly full range
   * still finds room in one pick), skipping `exclude` and preferring blocks not in flight here.
   * O(number of blocks) arithmetic on counts; no bits are scanned.
   */
  choose(
    partition: string,
    protocol: Protocol,
    exclude: ReadonlySet<number>,
    random: () => number,
  ): number | undefined {
    const entries = this.#views.get(`${partition}|${protocol}`)?.entries ?? [];
    const open = entries.filter((e) => e.free > 0 && !exclude.has(e.block.index));
    const idle = open.filter((e) => !this.#inFlight.has(this.#flightKey(partition, protocol, e.block.index)));
    const pool = idle.length > 0 ? idle : open;
    const total = pool.reduce((sum, e) => sum + e.free, 0);
    let target = random() * total;
    for (const e of pool) {
      target -= e.free;
      if (target < 0) return e.block.index;
    }
    return pool[pool.length - 1]?.block.index;
  }

  #flightKey(partition: string, protocol: Protocol, index: number): string {
    return `${partition}|${protocol}|${index}`;
  }

  markInFlight(partition: string, blocks: readonly { protocol: Protocol; index: number }[]): () => void {
    const keys = blocks.map((b) => this.#flightKey(partition, b.protocol, b.index));
    for (const k of keys) this.#inFlight.add(k);
    return () => {
      for (const k of keys) this.#inFlight.delete(k);
    };
  }
}
