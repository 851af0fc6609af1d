"""Makes the shared test helpers (tests/helpers) importable from every test folder."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))

# the shared store's fixtures (a throwaway PostgreSQL server): pg_server, pg_url, own_pg_server
pytest_plugins = ("pg_fixtures",)
