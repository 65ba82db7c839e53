"""The report as one self-contained web page: tables, and bar charts drawn with
CSS alone.

The page needs nothing beyond itself: no script, no font, no image, no network.
Its content security policy says so, and a browser holds it to that. Every text
is escaped, so a value such as ``<script>`` is shown, never run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html import escape

from contactable.services.reporting._layout import (
    Cell,
    Chart,
    Column,
    Format,
    Layout,
    Listing,
    Section,
    Table,
)

# A listing longer than this is cut short on the page; the workbook has it all.
PAGE_LISTING_ROWS = 5_000

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"

# GOV.UK Design System colours, so that staff see a familiar palette.
_STYLE = """
body { font-family: Arial, sans-serif; color: #0b0c0c; margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 2rem 3rem; }
h1 { font-size: 2rem; margin-bottom: .25rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid #1d70b8; }
h3 { font-size: 1.15rem; margin-top: 1.75rem; }
p.note { color: #505a5f; max-width: 60em; }
nav a { margin-right: 1rem; color: #1d70b8; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
th { text-align: left; border-bottom: 2px solid #0b0c0c; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #0b0c0c; }
figure.chart { margin: .5rem 0 1.5rem; max-width: 760px; }
figure.chart figcaption { font-weight: bold; margin-bottom: .5rem; }
.legend span { margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; }
.bars { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr 4.5rem;
  gap: 2px .5rem; font-size: .85rem; align-items: center; }
.bars .label { grid-column: 1; }
.bars .track { grid-column: 2; background: #f3f2f1; height: .9rem; }
.bars .bar { display: block; height: 100%; }
.bars .value { grid-column: 3; text-align: right; font-variant-numeric: tabular-nums; }
.s0 { background: #1d70b8; } .s1 { background: #f47738; } .s2 { background: #85994b; }
.s3 { background: #912b88; }
"""


def render_page(layout: Layout) -> str:
    """The report as the text of one HTML page."""
    title = f"{layout.title} for {layout.day.isoformat()}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(layout.title)}</h1>",
        f"<p>Report day {layout.day.isoformat()}; made at "
        f"{escape(layout.made_at.strftime('%Y-%m-%d %H:%M UTC'))}.</p>",
        _navigation(layout),
    ]
    for section in layout.sections:
        parts.extend(_section(section))
    for listing in layout.listings:
        parts.extend(_listing(listing))
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def anchor(title: str) -> str:
    """The fragment a section's heading is reached by: 'No privacy statement'
    gives 'no-privacy-statement'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _navigation(layout: Layout) -> str:
    titles = [s.title for s in layout.sections] + [x.title for x in layout.listings]
    links = "".join(f'<a href="#{anchor(t)}">{escape(t)}</a>' for t in titles)
    return f"<nav>{links}</nav>"


def _section(section: Section) -> Iterator[str]:
    yield f'<section id="{anchor(section.title)}">'
    yield f"<h2>{escape(section.title)}</h2>"
    if section.note:
        yield f'<p class="note">{escape(section.note)}</p>'
    for table in section.tables:
        yield from _table(table)
    yield "</section>"


def _shown(cell: Cell, column: Column) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and column.format is Format.SHARE:
        return f"{cell:.1%}"
    if isinstance(cell, int | float):
        return f"{cell:,}"
    if isinstance(cell, date):
        return cell.isoformat()
    return escape(cell)


def _numeric(column: Column) -> bool:
    return column.format is not Format.TEXT


def _row(cells: tuple[Cell, ...], columns: tuple[Column, ...], css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    shown = "".join(
        f'<td class="n">{_shown(cell, column)}</td>'
        if _numeric(column) and not isinstance(cell, str)
        else f"<td>{_shown(cell, column)}</td>"
        for cell, column in zip(cells, columns, strict=True)
    )
    return f"<tr{attribute}>{shown}</tr>"


def _head(columns: tuple[Column, ...]) -> str:
    cells = "".join(
        f'<th class="n" scope="col">{escape(c.heading)}</th>'
        if _numeric(c)
        else f'<th scope="col">{escape(c.heading)}</th>'
        for c in columns
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _table(table: Table) -> Iterator[str]:
    yield f"<h3>{escape(table.title)}</h3>"
    if table.note:
        yield f'<p class="note">{escape(table.note)}</p>'
    if not table.rows:
        yield f'<p class="note">{escape(table.empty)}</p>'
        return

    yield '<div class="scroll"><table>'
    yield _head(table.columns)
    yield "<tbody>"
    for cells in table.rows:
        yield _row(cells, table.columns)
    if table.total is not None:
        yield _row(table.total, table.columns, "total")
    yield "</tbody></table></div>"
    if table.chart is not None:
        yield _chart(table, table.chart)


def _chart(table: Table, chart: Chart) -> str:
    """Horizontal bars, one group per row, as wide as their share of the scale:
    0 to 100% for shares, 0 to the largest value for counts."""
    shares = all(table.columns[p].format is Format.SHARE for p in chart.values)
    values = [
        [float(v) if isinstance(v, int | float) else 0.0 for v in row]
        for row in ([r[p] for p in chart.values] for r in table.rows)
    ]
    scale = 1.0 if shares else max((v for row in values for v in row), default=0.0)
    legend = ""
    if len(chart.values) > 1:
        keys = "".join(
            f'<span><i class="s{n}"></i>{escape(table.columns[p].heading)}</span>'
            for n, p in enumerate(chart.values)
        )
        legend = f'<div class="legend">{keys}</div>'
    bars = []
    for cells, row in zip(table.rows, values, strict=True):
        label = _shown(cells[0], table.columns[0])
        for n, (position, value) in enumerate(zip(chart.values, row, strict=True)):
            width = 100 * min(value / scale, 1.0) if scale else 0.0
            shown = _shown(cells[position], table.columns[position])
            bars.append(
                f'<span class="label">{label if n == 0 else ""}</span>'
                f'<span class="track"><span class="bar s{n % 4}" '
                f'style="width:{width:.1f}%"></span></span>'
                f'<span class="value">{shown}</span>'
            )
    return (
        f'<figure class="chart"><figcaption>{escape(chart.title)}</figcaption>'
        f'{legend}<div class="bars">{"".join(bars)}</div></figure>'
    )


def _listing(listing: Listing) -> Iterator[str]:
    yield f'<section id="{anchor(listing.title)}">'
    yield f"<h2>{escape(listing.title)}</h2>"
    yield f'<p class="note">{escape(listing.note)}</p>'
    total = listing.frame.height
    if not total:
        yield '<p class="note">None.</p>'
        yield "</section>"
        return

    if total > PAGE_LISTING_ROWS:
        yield (
            f'<p class="note">The first {PAGE_LISTING_ROWS:,} of {total:,} are shown '
            "here; the report written as a workbook (.xlsx) lists them all.</p>"
        )
    yield '<div class="scroll"><table>'
    yield _head(listing.columns)
    yield "<tbody>"
    for cells in listing.frame.head(PAGE_LISTING_ROWS).iter_rows():
        yield _row(tuple(cells), listing.columns)
    yield "</tbody></table></div>"
    yield "</section>"
