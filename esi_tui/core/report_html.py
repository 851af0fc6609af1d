"""The report as one self-contained HTML file: inline styles, an inline SVG chart, no network."""

from __future__ import annotations

from html import escape

from esi_tui.core.report import Report, change_points, interval_text
from esi_tui.core.summary import format_change, format_score

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.8rem; border-bottom: 3px solid #1d3f72; padding-bottom: .3rem; }
h2 { color: #1d3f72; margin-top: 2.2rem; }
h3 { margin-bottom: .3rem; }
table.scores { border-collapse: collapse; margin: .5rem 0 1rem; }
table.scores th, table.scores td { border: 1px solid #9aa7b8; padding: .25rem .7rem; text-align: right; }
table.scores th:first-child, table.scores td:first-child { text-align: left; }
.description { font-style: italic; color: #333; }
.up { color: #1f7a1f; } .down { color: #b00020; }
.good-practice { border-left: 4px solid #1d3f72; padding: .3rem .8rem; background: #eef3fa; }
figure { margin: 1rem 0 2rem; }
figcaption { font-size: .9rem; color: #444; }
.legend span { display: inline-block; margin-right: 1.2rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin-right: .3rem; }
"""
ORIGINAL, NOW = "#9aa7b8", "#1d3f72"


def chart_svg(report: Report) -> str:
    """Bars of the original inspection against now, per criterion, as inline SVG."""
    items = [c for s in report.sections for c in s.criteria]
    row, bar_h, left, width = 44, 16, 60, 420
    height = row * len(items) + 30
    parts = [f'<svg id="chart" width="{left + width + 60}" '
             f'height="{height}" role="img" aria-label="Original inspection against now per criterion">']
    for tick in (0, 50, 100):
        x = left + width * tick / 100
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 20}" stroke="#ddd"/>'
                     f'<text x="{x}" y="{height - 5}" font-size="11" text-anchor="middle">{tick}%</text>')
    for index, item in enumerate(items):
        y = index * row + 4
        parts.append(f'<text x="0" y="{y + bar_h + 4}" font-size="13" font-weight="bold">{escape(item.code)}</text>')
        bars = ((0, item.baseline, ORIGINAL, "original"), (bar_h + 2, item.score, NOW, "now"))
        for offset, value, colour, label in bars:
            w = 0 if value is None else width * value / 100
            parts.append(f'<rect class="bar {label}" data-criterion="{escape(item.code)}" x="{left}" y="{y + offset}" '
                         f'width="{w:.1f}" height="{bar_h}" fill="{colour}"><title>{escape(item.code)} {label}: '
                         f'{format_score(value)}</title></rect>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + offset + bar_h - 3}" font-size="11">'
                         f'{format_score(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: Report) -> str:
    """The report as a standalone HTML page."""
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{escape(report.title)} — {escape(report.area)}</title>", f"<style>{STYLE}</style></head><body>",
           f"<h1>{escape(report.title)}</h1>",
           f"<p><strong>Area:</strong> {escape(report.area)}<br><strong>Questionnaire:</strong> "
           f"{escape(report.questionnaire)}<br><strong>Cases in the sample:</strong> {report.cases}</p>",
           '<figure><figcaption>Original inspection against now, per criterion</figcaption>',
           '<div class="legend">'
           f'<span><i class="swatch" style="background:{ORIGINAL}"></i>original inspection</span>'
           f'<span><i class="swatch" style="background:{NOW}"></i>now</span></div>',
           chart_svg(report), "</figure>"]
    for section in report.sections:
        if section.title:
            out.append(f"<h2>Section {escape(section.code)}: {escape(section.title)}</h2>")
        for item in section.criteria:
            change = change_points(item.score, item.baseline)
            change_class = "" if not change else ("up" if change > 0 else "down")
            ci_head = "<th>95% CI</th>" if report.show_intervals else ""
            ci_cell = f"<td>{escape(interval_text(item.interval) or '–')}</td>" if report.show_intervals else ""
            out += [f'<section class="criterion" id="{escape(item.code)}">',
                    f"<h3>{escape(item.code)} {escape(item.title)}</h3>",
                    '<table class="scores"><thead><tr><th></th><th>Original inspection</th><th>Now</th>'
                    f"<th>Change</th><th>Rating</th>{ci_head}</tr></thead><tbody>",
                    f"<tr><td>Score</td><td>{format_score(item.baseline)}</td><td>{format_score(item.score)}</td>"
                    f'<td class="{change_class}">{escape(format_change(change))}</td>'
                    f"<td>{escape(item.rating or '–')}</td>{ci_cell}</tr>",
                    f"<tr><td>Counted</td><td colspan=\"{4 + report.show_intervals}\">{item.counts.positive} of "
                    f"{item.counts.counted} (not applicable {item.counts.not_applicable}, unanswered "
                    f"{item.counts.unanswered})</td></tr></tbody></table>"]
            if item.description:
                out.append(f'<p class="description">{escape(item.description.strip())}</p>')
            out.append("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in item.findings + item.notes) + "</ul>")
            for text in item.good_practice:
                out.append(f'<div class="good-practice"><strong>GOOD PRACTICE EXAMPLE</strong><p><em>{escape(text)}'
                           "</em></p></div>")
            out.append("</section>")
    if report.withheld_notes:
        out.append(f"<p><em>{report.withheld_notes} reviewer notes withheld (redacted report).</em></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
