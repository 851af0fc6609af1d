"""Python's cyclic collector held off while the app opens, then one collection once the first screen shows.

Opening an inspection makes tens of thousands of objects (the stored answers, the questionnaire, the
widgets); the collector would walk them all several times before the first frame (some 40 ms of a 400 ms
start). Held, then collected once in a quiet moment and frozen, the objects that live as long as the app
are never walked again, which also keeps later collections short while a reviewer types.

Drawing one answer makes some 2,000 short-lived objects (strips, segments, styles): at Python's default
young-generation threshold of 700 the collector ran two or three times per key. After opening, the
threshold is YOUNG, so it runs about once in four keys, each run still well under a frame.
"""

from __future__ import annotations

import gc

YOUNG = 5000  # new objects between collections of the youngest generation, once the app is open
_held = False  # the collector is process-wide, and so is whether this module turned it off


def hold() -> None:
    """Turn the cyclic collector off until `release` (a no-op when it is already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release(collect: bool = True) -> None:
    """Collect once, freeze the survivors, set the young threshold to YOUNG and turn the collector back on,
    if `hold` turned it off."""
    global _held
    if not _held:
        return
    _held = False
    if collect:
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
    gc.enable()


def held() -> bool:
    """Whether the collector is off because of `hold`."""
    return _held
