import { describe, expect, it } from 'vitest';
import { ExternalIdCache } from '../../src/reconcile/external-id-cache.js';

describe('ExternalIdCache', () => {
  it('answers until the entry ages out, so an id made again elsewhere is seen by then', () => {
    let now = 0;
    const cache = new ExternalIdCache(1_000, 10, () => now);
    cache.set('a', 'p-1');
    now = 999;
    expect(cache.get('a')).toBe('p-1');
    now = 1_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets what it is told to (a failed reconcile reads its references again)', () => {
    const cache = new ExternalIdCache();
    cache.set('a', 'p-1');
    cache.set('b', 'p-2');
    cache.delete(['a']);
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, 'p-2']);
  });

  it('stays within its cap by starting over, never by answering wrong', () => {
    const cache = new ExternalIdCache(60_000, 2);
    cache.set('a', 'p-1');
    cache.set('b', 'p-2');
    cache.set('b', 'p-3'); // an update of a held id does not count as growth
    expect(cache.size).toBe(2);
    cache.set('c', 'p-4');
    expect(cache.size).toBe(1);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, undefined, 'p-4']);
  });
});
