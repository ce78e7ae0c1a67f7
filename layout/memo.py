"""A memo for long-lived processes (watch, the desk): it keeps what the last
render used and lets the rest go, so memory stays flat over hundreds of saves
instead of holding every paragraph ever composed."""

from __future__ import annotations

_MISSING = object()


class RecentMemo:
    """A dict-like memo in two generations: entries used since the last `turn()`,
    and those of the render before, which survive only if used again."""

    __slots__ = ("_now", "_before")

    def __init__(self) -> None:
        self._now: dict = {}
        self._before: dict = {}

    def get(self, key, default=None):
        value = self._now.get(key, _MISSING)
        if value is _MISSING:
            value = self._before.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._now[key] = value
        return value

    def __setitem__(self, key, value) -> None:
        self._now[key] = value

    def __len__(self) -> int:
        return len(self._now)

    def clear(self) -> None:
        self._now.clear()
        self._before.clear()

    def turn(self) -> None:
        """A render ended: what the next one does not use is then dropped."""
        self._before = self._now
        self._now = {}
