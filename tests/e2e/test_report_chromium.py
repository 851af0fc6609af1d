"""The HTML report in a real browser: headless Chromium (Debian's `chromium` package) loads the file
with no network, and a probe script measures that the chart's bars and the score tables render.

Chromium missing is a failure, not a skip: CI (.ci/run) installs it, and a skipped browser check
would hide a broken report."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_BASELINE

pytestmark = pytest.mark.slow

PROBE = """
<script>
window.addEventListener("load", function () {
  var d = document.body.dataset;
  var drawn = function (el) { var r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  var bars = Array.prototype.slice.call(document.querySelectorAll("svg#chart rect.bar"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.scores tr"));
  d.bars = bars.length;
  d.barsDrawn = bars.filter(drawn).length;
  d.originalWidths = bars.filter(function (b) { return b.classList.contains("original"); })
    .map(function (b) { return b.dataset.criterion + "=" + b.getBoundingClientRect().width.toFixed(1); }).join(",");
  d.tables = document.querySelectorAll("table.scores").length;
  d.rows = rows.length;
  d.rowsDrawn = rows.filter(drawn).length;
  d.chartWidth = Math.round(document.getElementById("chart").getBoundingClientRect().width);
  var resources = performance.getEntriesByType("resource");
  d.resources = resources.length;
  d.resourceNames = resources.map(function (e) { return e.name; }).join(" ");
  d.probed = "yes";
});
</script>
"""


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("chromium is not installed, so the HTML report cannot be checked in a browser: "
                    "install Debian's package with `apt-get install -y chromium` (.ci/run does)")
    return path


def dump_dom(page: Path, profile: Path) -> str:
    """Load `page` in headless Chromium with every network path closed; the DOM after scripts ran."""
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps", "--mute-audio",
        "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}", "--window-size=1280,2000", "--virtual-time-budget=5000",
        "--dump-dom", page.resolve().as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"chromium failed ({result.returncode}):\n{result.stderr[-3000:]}"
    assert "<body" in result.stdout, f"chromium printed no DOM:\n{result.stderr[-3000:]}"
    return result.stdout


def body_data(dom: str) -> dict[str, str]:
    """The data-* attributes of <body> in a dumped DOM."""
    match = re.search(r"<body([^>]*)>", dom)
    assert match, dom[:2000]
    return {name: html.unescape(value) for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"', match.group(1))}


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("chromium")
    db = folder / "demo.json"
    build_demo(db, "jb")
    target = folder / "report.html"
    assert cli.main(["report", "--db", str(db), "--format", "html", "--ci", "-o", str(target)]) == 0
    return target


def test_the_report_file_is_self_contained(report_file, tmp_path):
    text = report_file.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    lowered = text.lower()
    for needle in ("<script", "http://", "https://", "<link", "src=", "href=", "url(", "@import", "<iframe",
                   "<object", "<embed", "<img"):
        assert needle not in lowered, f"the report refers to something outside itself: {needle}"
    # the product file as it is, with no probe: it parses into the chart and the six criteria's tables
    dom = dump_dom(report_file, tmp_path / "profile")
    assert dom.count('class="bar original"') == 6 and dom.count('class="bar now"') == 6
    assert dom.count('<table class="scores">') == 6
    assert "<h2>Section C: Quality of interventions</h2>" in dom


def test_chart_and_tables_render_in_headless_chromium(report_file, tmp_path):
    probe = tmp_path / "probe.html"
    text = report_file.read_text(encoding="utf-8")
    assert text.count("</body>") == 1
    probe.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    data = body_data(dump_dom(probe, tmp_path / "profile"))
    assert data.get("probed") == "yes", f"the probe script did not run: {data}"
    # six criteria, an original and a now bar each, all with a drawn area
    assert (data["bars"], data["bars-drawn"]) == ("12", "12"), data
    # three rows per score table (head, score, counted), each laid out with a height
    assert (data["tables"], data["rows"], data["rows-drawn"]) == ("6", "18", "18"), data
    assert int(data["chart-width"]) == 540
    # the original bars are the published baselines, 420 px for 100%
    widths = dict(item.split("=") for item in data["original-widths"].split(","))
    assert widths == {code: f"{420 * value / 100:.1f}" for code, value in DEMO_BASELINE.items()}
    # nothing but the file itself was loaded
    assert data["resources"] == "0", f"the report requested: {data['resource-names']}"
