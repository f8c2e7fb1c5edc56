/**
 * Answers kubectl works out again on every invocation from the same text (the kubeconfig's YAML,
 * a client certificate and its key, the server's certificate): remembered per text, a few dozen at
 * most, so `kubectl get pods` does not parse and re-import the same PEM and YAML each time. Only
 * pure functions of their key are kept here; callers get values they may not change.
 */
export class TextMemo<T> {
  private readonly entries = new Map<string, { value: T }>();

  /** `maxKeyChars`: a longer text (a learner's oversized bundle) is worked out each time, never kept. */
  constructor(
    private readonly limit = 64,
    private readonly maxKeyChars = 64 * 1024,
  ) {}

  get(key: string, compute: () => T): T {
    if (key.length > this.maxKeyChars) return compute();
    const known = this.entries.get(key);
    if (known !== undefined) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known.value;
    }
    const value = compute();
    this.entries.set(key, { value });
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return value;
  }
}
