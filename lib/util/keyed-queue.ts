/** A per-key FIFO of async tasks: each task starts after the previous one for the same key settled. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly depths = new Map<string, number>();

  /** Tasks waiting or running for `key`. */
  depth(key: string): number {
    return this.depths.get(key) ?? 0;
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.depths.set(key, this.depth(key) + 1);
    const result = previous.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      const left = this.depth(key) - 1;
      if (left <= 0) {
        this.depths.delete(key);
        if (this.tails.get(key) === tail) this.tails.delete(key);
      } else {
        this.depths.set(key, left);
      }
    });
    return result;
  }
}
