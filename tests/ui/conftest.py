"""Fixtures for the Textual UI tests: a demo database, a small fresh inspection, and an app factory
that never reads the user's real config and records every notification."""

from __future__ import annotations

from pathlib import Path

import pytest
from uikit import FRESH, FRESH_CASES, REVIEWER, record_notifications

from esi_tui.app.factory import create_app
from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A database holding the 30-case demo inspection 'hampshire-demo' (answers by REVIEWER)."""
    path = tmp_path / "demo.json"
    build_demo(path, REVIEWER)
    return path


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """A database holding inspection FRESH: three cases, no answers."""
    path = tmp_path / "fresh.json"
    with Repository.open(path) as repo:
        repo.create_inspection(FRESH, find_questionnaire("esi-2005-followup"), area="Testshire",
                               baseline={"B1": 54})
        for reference, attributes in FRESH_CASES:
            repo.save_case(FRESH, reference, attributes)
    return path


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """A config file path that does not exist (tests write it when they need one)."""
    return tmp_path / "none.toml"


@pytest.fixture
def make_app(config_path: Path):
    """Build the app like the CLI does, but never on the user's config file."""

    def make(db: Path, inspection: str | None = None, readonly: bool = False, reviewer: str = REVIEWER,
             config: Path | None = None):
        app = create_app(db, reviewer, inspection=inspection, readonly=readonly,
                         config_path=config or config_path)
        record_notifications(app)
        return app

    return make


@pytest.fixture
def demo_app(make_app, demo_db):
    """The app opened on the demo inspection (the cases screen)."""
    return make_app(demo_db, inspection=DEMO_INSPECTION)


@pytest.fixture
def fresh_app(make_app, fresh_db):
    """The app opened on the fresh inspection (the cases screen)."""
    return make_app(fresh_db, inspection=FRESH)
