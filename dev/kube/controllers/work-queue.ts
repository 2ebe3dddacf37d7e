/**
 * A deduplicating work queue drained by one async loop, like a controller's rate-limited queue
 * with a single worker. `settle()` resolves once the queue is empty and nothing is running;
 * failed keys come back after a delay without holding `settle()` up.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private running = false;
  private closed = false;
  private readonly waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly handle: (key: string) => Promise<void>) {}

  add(key: string): void {
    if (this.closed) return;
    this.pending.add(key);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  addAfter(key: string, ms: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.add(key);
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.closed) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      try {
        await this.handle(key);
      } catch (e) {
        // A controller bug must not stop the loop; surface it for whoever runs the emulator.
        console.error(`kube emulator controller failed on ${key}:`, e);
      }
    }
    this.running = false;
    for (const w of this.waiters.splice(0)) w();
  }

  async settle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    await this.settle();
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    for (const w of this.waiters.splice(0)) w();
  }
}
