"""Bounded caches of values computed from objects that cannot be hashed (a boundary set, a store).

The caches are :func:`functools.lru_cache`; what identifies the value (a boundary set's version, a file's path) is
the key, and the object it is computed from rides along as an :class:`Unkeyed` argument, equal to every other, so it
never splits or grows the cache.
"""

from __future__ import annotations


class Unkeyed:
    """
    An argument of an ``lru_cache``'d function that is not part of its key: every ``Unkeyed`` is equal to every other.

    Parameters
    ----------
    value
        The object the cached value is computed from (its identity is given by the function's other arguments).
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        """The same hash for every ``Unkeyed``: it never splits a cache."""
        return 0

    def __eq__(self, other: object) -> bool:
        """Every ``Unkeyed`` equals every other: it is not part of a cache's key."""
        return isinstance(other, Unkeyed)
