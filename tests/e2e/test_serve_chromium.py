"""`esi-tui serve` in a real browser: headless Chromium opens the page, says who is reviewing, and
answers a question by keys (the answer is then on the PostgreSQL server); on a database file a second
tab is a live read-only session, never a blank page."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import Browser, Page

from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

LIVE_PAGE = "document.body.classList.contains('-first-byte') && !document.body.classList.contains('-closed')"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, db: str, folder: Path, *args: str):
        self.port = free_port()
        env = {**os.environ, "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config")}
        self.proc = subprocess.Popen([sys.executable, "-m", "esi_tui.cli", "serve", "--db", db, "--port",
                                      str(self.port), *args], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url, timeout=2).read()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {self.proc.stdout.read().decode()}") from None
                time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> str:
        self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out.decode(errors="replace")


@pytest.fixture
def browser(tmp_path):
    chrome = Browser(tmp_path / "profile")
    yield chrome
    chrome.close()


def test_a_served_tab_asks_who_is_reviewing_and_answers_by_keys(tmp_path, pg_url, browser):
    build_demo(pg_url, "jb")   # type: ignore[arg-type]
    with Repository.open(pg_url, readonly=True) as repo:
        before = {(a.case, a.question) for a in repo.answers(DEMO_INSPECTION) if a.reviewer == "ann"}
    assert not before
    served = Served(pg_url, tmp_path, "--inspection", DEMO_INSPECTION)

    async def drive() -> None:
        page = await Page(browser).open(served.url)
        try:
            await page.wait_for(LIVE_PAGE, 30, "the app")
            await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
            await asyncio.sleep(1.0)
            await page.type("ann")
            await page.press("enter")           # who is reviewing: ann; the inspection's cases open
            await asyncio.sleep(1.5)
            await page.press("enter")           # the review of the first open case
            await asyncio.sleep(1.5)
            await page.press("y")               # its first open question: yes
            deadline = time.monotonic() + 15
            while True:
                with Repository.open(pg_url, readonly=True) as repo:
                    mine = [a for a in repo.answers(DEMO_INSPECTION) if a.reviewer == "ann"]
                if mine or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            await page.screenshot(tmp_path / "served.png")
            assert [a.value for a in mine] == ["yes"], "the answer typed in the browser is not on the server"
            assert await page.evaluate(LIVE_PAGE)
        finally:
            await page.close()

    try:
        asyncio.run(drive())
    finally:
        output = served.stop()
    assert "Traceback" not in output, output[-3000:]


def test_a_second_tab_on_a_database_file_is_read_only_not_blank(tmp_path, browser):
    db = tmp_path / "demo.json"
    build_demo(db, "jb")
    served = Served(str(db), tmp_path, "--reviewer", "jb")

    async def drive() -> None:
        first = await Page(browser).open(served.url)
        await first.wait_for(LIVE_PAGE, 30, "the first tab's app")
        await asyncio.sleep(1.0)
        second = await Page(browser).open(served.url)
        try:
            await second.wait_for(LIVE_PAGE, 30, "the second tab's app")
            await asyncio.sleep(2.0)   # a process that died on the lock would have closed the page by now
            assert await second.evaluate(LIVE_PAGE), "the second tab's session ended (a blank page)"
            assert await first.evaluate(LIVE_PAGE)
            await second.screenshot(tmp_path / "second-tab.png")
        finally:
            await second.close()
            await first.close()

    try:
        asyncio.run(drive())
    finally:
        output = served.stop()
    assert "Traceback" not in output, output[-3000:]
