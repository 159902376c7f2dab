"""The bounded cache behind the per-process caches (memberships, replayed statements)."""

from __future__ import annotations

import threading

from pendopo.lib.lru import LRUCache


def test_forgets_the_least_recently_used_first():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2


def test_stays_bounded_under_threads():
    cache = LRUCache(50)

    def fill(offset):
        for number in range(1000):
            cache.put((offset, number), number)
            cache.get((offset, number - 1))

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 50
    cache.clear()
    assert len(cache) == 0
