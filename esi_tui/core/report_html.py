"""The report as one self-contained HTML file: inline styles, an inline SVG chart, no network."""

from __future__ import annotations

from html import escape

from esi_tui.core.formatting import format_change, format_score
from esi_tui.core.report import (
    CriterionReport,
    Report,
    change_points,
    interval_text,
    not_comparable_notes,
)

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
.overall { font-size: 1.1rem; }
.rated-by, .not-comparable { font-style: italic; color: #333; }
ul.prompts { margin-top: .2rem; }
tr.region td { font-weight: bold; }
.provisional { border: 2px solid #b00020; padding: .4rem .8rem; background: #fdf0f0; }
.key-findings { border-left: 4px solid #9aa7b8; padding: 0 .8rem; }
blockquote.report-note { font-style: italic; margin: .3rem 1.5rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin-right: .3rem; }
"""
ORIGINAL, NOW = "#9aa7b8", "#1d3f72"


def region_chart_svg(report: Report) -> str:
    """Bars of each area's score and the region's, per criterion, as inline SVG."""
    items = [c for s in report.sections for c in s.criteria]
    names = [a.name for a in items[0].areas] + ["Region"] if items else []
    bar_h, left, width = 14, 60, 420
    row = (bar_h + 2) * len(names) + 12
    height = row * len(items) + 30
    parts = [(f'<svg id="chart" width="{left + width + 60}" height="{height}" role="img" '
              'aria-label="Each area against the region per criterion">')]
    for tick in (0, 50, 100):
        x = left + width * tick / 100
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 20}" stroke="#ddd"/>'
                     f'<text x="{x}" y="{height - 5}" font-size="11" text-anchor="middle">{tick}%</text>')
    for index, item in enumerate(items):
        y = index * row + 4
        parts.append(f'<text x="0" y="{y + bar_h}" font-size="13" font-weight="bold">{escape(item.code)}</text>')
        values = [(a.name, a.score, a.shown, ORIGINAL) for a in item.areas] + [("Region", item.score, item.shown, NOW)]
        for offset, (name, value, shown, colour) in enumerate(values):
            top = y + offset * (bar_h + 2)
            w = 0 if value is None else width * value / 100
            parts.append(f'<rect class="bar area" data-criterion="{escape(item.code)}" x="{left}" y="{top}" '
                         f'width="{w:.1f}" height="{bar_h}" fill="{colour}"><title>{escape(item.code)} '
                         f'{escape(name)}: {escape(shown)}</title></rect>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{top + bar_h - 3}" font-size="11">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def score_rows(report: Report, item: CriterionReport) -> list[str]:
    """The criterion's score table rows: one, or a row per area and the region's."""
    ci = report.show_intervals
    head = "Area" if item.areas else ""
    rows = [('<table class="scores"><thead><tr>'
             f"<th>{head}</th><th>Original inspection</th><th>Now</th><th>Change</th><th>Rating</th>"
             + ("<th>95% CI</th>" if ci else "") + "</tr></thead><tbody>")]
    lines: list[tuple] = [(a.name, a.baseline, a.shown, a.change, a.comparable, a.rating_text, a.interval, "")
                          for a in item.areas]
    if item.areas:
        lines.append(("Region", None, item.shown, None, True, item.rating, item.interval, "region"))
    else:
        lines.append(("Score", item.baseline, item.shown or format_score(item.score),
                      change_points(item.score, item.baseline), item.comparable, item.rating, item.interval, ""))
    for name, baseline, shown, change, comparable, rating, interval, css in lines:
        change_class = "" if not change or not comparable else ("up" if change > 0 else "down")
        ci_cell = f"<td>{escape(interval_text(interval) or '–')}</td>" if ci else ""
        rows.append(f'<tr{f" class={chr(34)}{css}{chr(34)}" if css else ""}><td>{escape(name)}</td>'
                    f"<td>{format_score(baseline)}</td><td>{escape(shown)}</td>"
                    f'<td class="{change_class}">{escape(format_change(change, comparable))}</td>'
                    f"<td>{escape(rating or '–')}</td>{ci_cell}</tr>")
    rows.append(f"<tr><td>Counted</td><td colspan=\"{4 + ci}\">{item.counts.positive} of "
                f"{item.counts.counted} (not applicable {item.counts.not_applicable}, unanswered "
                f"{item.counts.unanswered})</td></tr></tbody></table>")
    return rows


def chart_svg(report: Report) -> str:
    """Bars of the original inspection against now, per criterion, as inline SVG."""
    items = [c for s in report.sections for c in s.criteria]
    row, bar_h, left, width = 44, 16, 60, 420
    height = row * len(items) + 30
    parts = [(f'<svg id="chart" width="{left + width + 60}" '
              f'height="{height}" role="img" aria-label="Original inspection against now per criterion">')]
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
    if report.regional:
        caption, legend = "Each area against the region, per criterion", ("each area", "the region")
        chart = region_chart_svg(report)
    else:
        caption, legend = "Original inspection against now, per criterion", ("original inspection", "now")
        chart = chart_svg(report)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{escape(report.title)} — {escape(report.area)}</title>", f"<style>{STYLE}</style></head><body>",
           f"<h1>{escape(report.title)}</h1>"]
    if report.provisional:
        label, _, rest = report.status.partition(": ")
        out.append(f'<p class="provisional"><strong>{escape(label)}:</strong> {escape(rest)}</p>')
    facts = [("Area", report.area), ("Dates", report.period), ("Reviewers", report.reviewers),
             ("Questionnaire", report.questionnaire), ("Cases in the sample", str(report.cases)),
             ("Sample", report.sample)]
    out.append("<p>" + "<br>".join(f"<strong>{name}:</strong> {escape(value)}" for name, value in facts if value)
               + "</p>")
    if report.status and not report.provisional:
        out.append(f'<p class="final"><em>{escape(report.status)}</em></p>')
    if report.overall:
        out.append(f'<p class="overall"><strong>{escape(report.overall)}</strong></p>')
    if report.area_overall:
        out.append("<ul>" + "".join(f"<li>{escape(name)}: {escape(text.removeprefix('Overall rating: '))}</li>"
                                    for name, text in report.area_overall) + "</ul>")
    out += [f"<figure><figcaption>{caption}</figcaption>",
            ('<div class="legend">'
             f'<span><i class="swatch" style="background:{ORIGINAL}"></i>{legend[0]}</span>'
             f'<span><i class="swatch" style="background:{NOW}"></i>{legend[1]}</span></div>'),
            chart, "</figure>"]
    for section in report.sections:
        if section.title:
            out.append(f"<h2>Section {escape(section.code)}: {escape(section.title)}</h2>")
        if section.key_findings:
            out.append('<div class="key-findings"><h3>Key findings</h3><ul>'
                       + "".join(f"<li>{escape(text)}</li>" for text in section.key_findings) + "</ul></div>")
        for item in section.criteria:
            out += [f'<section class="criterion" id="{escape(item.code)}">',
                    f"<h3>{escape(item.code)} {escape(item.title)}</h3>", *score_rows(report, item)]
            out += [f'<p class="not-comparable">({escape(note)})</p>' for note in not_comparable_notes(item)]
            if item.rated_by:
                out.append(f'<p class="rated-by">{escape(item.rated_by[0].upper() + item.rated_by[1:])}.</p>')
            if item.description:
                out.append(f'<p class="description">{escape(item.description.strip())}</p>')
            prompts = item.prompt_findings or [[]] * len(item.findings)
            out.append("<ul>" + "".join(
                f"<li>{escape(t)}" + ('<ul class="prompts">' + "".join(f"<li>{escape(p)}</li>" for p in under)
                                      + "</ul>" if under else "") + "</li>"
                for t, under in zip(item.findings, prompts))
                + (f'<li class="closing">{escape(item.closing)}</li>' if item.closing else "") + "</ul>")
            if item.notes:
                out.append("<p class=\"notes-heading\"><em>From the reviewers' notes for the report:</em></p>"
                           + "".join(f'<blockquote class="report-note">“{escape(t)}”</blockquote>' for t in item.notes))
            for text in item.good_practice:
                out.append(f'<div class="good-practice"><strong>GOOD PRACTICE EXAMPLE</strong><p><em>{escape(text)}'
                           "</em></p></div>")
            out.append("</section>")
    if report.withheld_notes:
        out.append(f"<p><em>{report.withheld_notes} reviewer notes withheld (redacted report).</em></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
