"""Headless Chromium driven over the DevTools protocol (aiohttp's websocket client): open a page, press
keys in it, read what the page says about itself, take a screenshot. For the tests of `esi-tui serve`.

Chromium missing is a failure, never a skip: CI (.ci/run) installs Debian's package."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import time
from pathlib import Path

import aiohttp

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-default-apps", "--mute-audio", "--window-size=1200,800",
         # nothing but this machine: the page's web font request fails at once instead of waiting
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
KEYS = {"enter": ("Enter", "Enter", 13, "\r"), "escape": ("Escape", "Escape", 27, ""),
        "tab": ("Tab", "Tab", 9, "\t"), "down": ("ArrowDown", "ArrowDown", 40, "")}


def chromium_binary() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise AssertionError("chromium is not installed, so the served app cannot be checked in a browser: "
                             "`apt-get install -y chromium` (.ci/run does it)")
    return path


class Browser:
    """One headless Chromium with a fresh profile; `page()` opens a tab."""

    def __init__(self, profile: Path):
        self.profile = profile
        self.proc = subprocess.Popen([chromium_binary(), *FLAGS, f"--user-data-dir={profile}",
                                      "--remote-debugging-port=0", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"chromium did not start: {self.proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
        self.port = int(port_file.read_text().split()[0])

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


class Page:
    """One tab, spoken to over its DevTools websocket."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.ws = None
        self.session = None
        self.ids = 0

    async def open(self, url: str) -> Page:
        self.session = aiohttp.ClientSession()
        base = f"http://127.0.0.1:{self.browser.port}"
        async with self.session.put(f"{base}/json/new?{url}") as response:
            target = json.loads(await response.text())
        self.ws = await self.session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        return self

    async def send(self, method: str, **params):
        self.ids += 1
        ident = self.ids
        await self.ws.send_json({"id": ident, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive_json(), timeout=30)
            if message.get("id") == ident:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})

    async def evaluate(self, expression: str):
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not await self.evaluate(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"the page did not show {what} within {timeout} s")
            await asyncio.sleep(0.1)

    async def press(self, key: str) -> None:
        """One key, as a person presses it (a named key, or a printable character)."""
        if key in KEYS:
            name, code, number, text = KEYS[key]
            down = {"key": name, "code": code, "windowsVirtualKeyCode": number, "nativeVirtualKeyCode": number}
            if text:
                down["text"] = text
        else:
            down = {"key": key, "text": key, "unmodifiedText": key}
        await self.send("Input.dispatchKeyEvent", type="keyDown", **down)
        await self.send("Input.dispatchKeyEvent", type="keyUp", **{k: v for k, v in down.items() if k != "text"})
        await asyncio.sleep(0.05)

    async def type(self, text: str) -> None:
        for char in text:
            await self.press(char)

    async def screenshot(self, path: Path) -> None:
        data = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(data["data"]))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.session is not None:
            await self.session.close()
