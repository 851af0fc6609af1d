"""The collector held while the app opens comes back on, and only when it was this module that held it."""

from __future__ import annotations

import gc

import pytest

from esi_tui.app import gc_pause


@pytest.fixture(autouse=True)
def collector_restored():
    """Each test starts and ends with the collector on, nothing frozen and the thresholds as they were."""
    thresholds = gc.get_threshold()
    gc.enable()
    yield
    gc_pause.release(collect=False)
    gc_pause.thaw()
    gc.enable()
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_hold_turns_the_collector_off_and_release_collects_freezes_and_turns_it_on():
    gc.unfreeze()
    gc_pause.hold()
    assert not gc.isenabled() and gc_pause.held()
    gc_pause.release()
    assert gc.isenabled() and not gc_pause.held()
    assert gc.get_freeze_count() > 0  # what lives as long as the app is not walked again
    assert gc.get_threshold()[0] == gc_pause.YOUNG


def test_release_without_hold_changes_nothing():
    gc.unfreeze()
    thresholds = gc.get_threshold()
    gc_pause.release()
    assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds
    gc.disable()  # someone else turned it off: not ours to turn on
    gc_pause.release()
    assert not gc.isenabled()


def test_hold_leaves_a_collector_someone_else_turned_off_to_them():
    gc.disable()
    gc_pause.hold()
    assert not gc_pause.held()
    gc_pause.release()
    assert not gc.isenabled()


def test_release_without_collecting_only_turns_it_back_on():
    gc.unfreeze()
    gc_pause.hold()
    gc_pause.release(collect=False)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_thaw_unfreezes_only_what_release_froze():
    gc.unfreeze()
    gc_pause.thaw()   # nothing frozen by release: nothing to do
    assert gc.get_freeze_count() == 0
    gc_pause.hold()
    gc_pause.release()
    assert gc.get_freeze_count() > 0
    gc_pause.thaw()
    assert gc.get_freeze_count() == 0
    gc.freeze()       # frozen by someone else, after
    gc_pause.thaw()
    assert gc.get_freeze_count() > 0
