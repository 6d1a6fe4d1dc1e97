import { LRUCache } from 'lru-cache';

/**
 * A schema builder that builds once per distinct set of arguments and hands back the same schema
 * after that. zod 4 does real work when a schema is made (it compiles a fast path), and the
 * progress guard checks every step's answers on every request: building the schemas afresh each
 * time was the largest cost of a form page in the benchmark's CPU profile. The arguments are
 * plain values (wording, the victim type, today's date), so their JSON is the key; an LRU bound
 * keeps the dates of past days from piling up.
 */
export function memoised<Args extends unknown[], Built extends object>(build: (...args: Args) => Built): (...args: Args) => Built {
  const cache = new LRUCache<string, Built>({ max: 64 });
  return (...args: Args): Built => {
    const key = JSON.stringify(args);
    const hit = cache.get(key);
    if (hit) return hit;
    const built = build(...args);
    cache.set(key, built);
    return built;
  };
}
