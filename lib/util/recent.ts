/**
 * Sets `key` as the most recent entry of a Map used as a bounded recency list (a Map iterates in
 * insertion order), and forgets the oldest entry once there are more than `limit`.
 */
export function setRecent<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}
