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
_frozen = False  # whether release froze what lived when the app had opened


def hold() -> None:
    """Turn the cyclic collector off until `release` (a no-op when it is already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release(collect: bool = True) -> None:
    """Turn the collector back on, if `hold` turned it off; with `collect` (the app is open) collect once,
    freeze the survivors and set the young threshold to YOUNG first (without: only turn it on)."""
    global _held, _frozen
    if not _held:
        return
    _held = False
    if collect:
        gc.collect()
        gc.freeze()
        _frozen = True
        gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
    gc.enable()


def thaw() -> None:
    """Let the collector walk what `release` froze again (another inspection is opened: the first one's
    screens and answers, frozen with the app, would otherwise never be freed)."""
    global _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False


def held() -> bool:
    """Whether the collector is off because of `hold`."""
    return _held
