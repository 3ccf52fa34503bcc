"""A story's figures: the drift matrix and the publication timeline (inline SVG), the credit graph (Mermaid).

Inline SVG, drawn here: no script, no CDN, so they work offline and in any browser. Every
scraped string (outlet names, quotations, headlines) is escaped before it enters the markup.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence

from markupsafe import Markup

from pressdiff.compare.origin import CAPTURED, ORDERED
from pressdiff.core.dates import bounds

from .escape import mermaid_label

# A cell's class: the origin, verbatim, or the weightiest change of an altered or paraphrased
# wording (a wording with several changes shows the first of this list that it has).
CELL_CLASSES = (
    ("origin", "#1f2937", "first carried it (the origin)"),
    ("captured", "#57606a", "captured first: no dates or credits order the carriers"),
    ("listed", "#8c959f", "listed first: nothing orders the carriers"),
    ("verbatim", "#2da44e", "verbatim"),
    ("normalized", "#a7d8b0", "only spelling, case or punctuation"),
    ("truncated", "#f2cc60", "start or end dropped"),
    ("elided", "#e3a008", "words dropped inside"),
    ("inserted", "#54aeff", "words added"),
    ("substituted", "#fb8f44", "words replaced"),
    ("spliced", "#cf222e", "joined with another utterance"),
    ("promoted", "#8250df", "put into quotation marks"),
    ("unquoted", "#bf8700", "reused without quotation marks"),
    ("inherited", "#6e4b2a", "carries another outlet's insertion"),
    ("paraphrase", "#a475f9", "re-worded (paraphrase)"),
)
_COLOUR = {name: colour for name, colour, _ in CELL_CLASSES}
# the classes of the first carrier, as its tooltip names them
FIRST = {"origin": "origin", "captured": "captured first", "listed": "listed first (order unknown)"}
_WEIGHT = [name for name, _, _ in CELL_CLASSES][::-1]  # later in the list outweighs earlier
MATRIX_ROWS = 40  # on the story page; the drift page shows every shared quotation
MAX_MATRIX_ROWS = 2000
# The matrix is drawn at its own size (never scaled down to the column: a phone scrolls it): cells
# of CELL px, quotation labels of up to LABEL_CHARS characters (the whole text in their tooltip),
# outlet names whole, rotated by NAME_ANGLE degrees; CHAR_W is the width of an average character
# of the 11 px label font, from which the space for names and labels is reserved.
CELL, LABEL_CHARS, CHAR_W, NAME_ANGLE, PAD = 18, 64, 6.2, 60, 8


def cell_class(variant, origin_article: str, basis: str = "published") -> str:
    """origin (captured or listed, when only capture times or nothing order the carriers: see
    compare/origin.py), verbatim, paraphrase or the weightiest change of one article's wording."""
    if variant.article == origin_article:
        return "origin" if basis in ORDERED else "captured" if basis == CAPTURED else "listed"
    if variant.relation == "verbatim":
        return "verbatim"
    if variant.relation == "paraphrase" and not variant.changes:
        return "paraphrase"
    # "edited" (the outlet changed its own article later) is time, not a difference from the origin
    present = (set(variant.changes) - {"edited"}) | ({"paraphrase"} if variant.relation == "paraphrase" else set())
    return max(present, key=_WEIGHT.index, default="substituted")


def _e(text) -> str:
    return html.escape(" ".join(str(text or "").split()), quote=True)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def drift_matrix(clusters: Sequence, outlets: Sequence[str], outlet_of: dict[str, str], href: str,
                 limit: int = MATRIX_ROWS) -> Markup:
    """Outlets (columns) × shared quotations (rows); each cell links to the quotation's page.

    href: the path from the page that shows the figure to the quotation pages ("quotes/").
    """
    rows = list(clusters)[:limit]
    if not rows or not outlets:
        return Markup("")
    col = {name: i for i, name in enumerate(outlets)}
    labels = [_short(c.canonical, LABEL_CHARS) for c in rows]
    # the cells first, so that a phone shows them and scrolls to the rest of the labels
    left, cells_w = PAD, CELL * len(outlets)
    label_x = left + cells_w + 6
    slant = math.radians(NAME_ANGLE)
    # a rotated name rises by its length x sin, and leans right of its column by its length x cos
    head_h = round(max(CHAR_W * len(n) for n in outlets) * math.sin(slant)) + 14
    lean = max(left + CELL * i + CELL / 2 + CHAR_W * len(n) * math.cos(slant) for n, i in col.items())
    width = round(max(label_x + CHAR_W * max(len(t) for t in labels), lean)) + PAD
    height = head_h + CELL * len(rows) + 4
    out = [f'<svg class="pd-matrix" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="Drift matrix: {len(rows)} quotations by '
           f'{len(outlets)} outlets">']
    for name, i in col.items():
        x = left + CELL * i + CELL // 2
        out.append(f'<text class="pd-matrix-outlet" transform="translate({x},{head_h - 6}) rotate(-{NAME_ANGLE})">'
                   f"{_e(name)}</text>")
    # One link per row (every cell of a row leads to the same quotation page); the row's
    # background is the "does not carry it" colour, so only the cells carried are drawn.
    none_w = CELL * len(outlets) - 2
    for r, (c, label) in enumerate(zip(rows, labels)):
        y = head_h + CELL * r
        out.append(f'<a href="{href}{c.id}/"><text class="pd-matrix-quote" x="{label_x}" y="{y + CELL - 5}">'
                   f'{_e(label)}<title>{_e(c.canonical)}</title></text>'
                   f'<rect class="pd-matrix-none" x="{left + 1}" y="{y + 1}" width="{none_w}" height="{CELL - 2}"/>')
        cells: dict[int, tuple[str, object]] = {}
        for v in c.variants:
            i = col.get(outlet_of.get(v.article) or "")
            if i is None:
                continue
            kind = cell_class(v, c.origin, c.origin_basis)
            if i not in cells or _WEIGHT.index(kind) > _WEIGHT.index(cells[i][0]) and cells[i][0] not in FIRST:
                cells[i] = (kind, v)
        for i, (kind, v) in sorted(cells.items()):
            what = v.relation + (": " + ", ".join(v.changes) if v.changes else "")
            tip = f"{outlets[i]} — {FIRST.get(kind, what)} — “{_short(v.text, 160)}”"
            out.append(f'<rect class="pd-matrix-cell" data-class="{kind}" x="{left + CELL * i + 1}" y="{y + 1}" '
                       f'width="{CELL - 2}" height="{CELL - 2}" fill="{_COLOUR[kind]}"><title>{_e(tip)}</title></rect>')
        out.append("</a>")
    for i in range(1, len(outlets)):  # column rules, so a row's blank cells still read as cells
        x = left + CELL * i
        out.append(f'<line class="pd-matrix-rule" x1="{x}" y1="{head_h}" x2="{x}" y2="{height - 4}"/>')
    out.append("</svg>")
    return Markup("".join(out))


def matrix_legend(clusters: Sequence = ()) -> Markup:
    """The colours' meanings: of the first carrier's classes, only those the clusters' origins
    have (an archive without dates claims no "first")."""
    firsts = {cell_class(c.variants[0], c.variants[0].article, c.origin_basis) for c in clusters if c.variants}
    items = "".join(f'<span class="pd-legend-item"><span class="pd-swatch" style="background:{colour}"></span>'
                    f"{_e(label)}</span>" for name, colour, label in CELL_CLASSES
                    if name not in FIRST or name in firsts)
    return Markup(f'<p class="pd-legend">{items}<span class="pd-legend-item"><span class="pd-swatch '
                  f'pd-swatch--none"></span>does not carry it</span></p>')


def timeline(articles: Sequence, credits: Sequence[tuple[str, str]], href: str) -> Markup:
    """One lane per outlet, a dot per dated article (a bar for a month or year), arrows for credits.

    credits: (crediting article id, credited outlet); an arrow goes from the article to the
    credited outlet's earliest article in the story. href: path to the article pages.
    """
    dated = [a for a in articles if a.published]
    if not dated:
        return Markup("")
    spans = {a.id: bounds(a.published) for a in dated}
    first = min(s[0] for s in spans.values())
    last = max(s[1] for s in spans.values())
    days = max(1, (last - first).days)
    earliest: dict[str, object] = {}  # each outlet's earliest article, outlets in the order they first published
    for a in sorted(dated, key=lambda a: spans[a.id][0]):
        earliest.setdefault(a.outlet or a.id, a)
    lanes = list(earliest)
    left, lane_h, plot_w = 190, 26, 720
    width, height = left + plot_w + 30, 40 + lane_h * len(lanes)

    def x_of(day: dt.date) -> float:
        return left + plot_w * (day - first).days / days

    def centre(a) -> tuple[float, float]:
        start, end = spans[a.id]
        return (x_of(start) + x_of(end)) / 2, 30 + lane_h * lanes.index(a.outlet or a.id) + lane_h / 2

    out = [f'<svg class="pd-timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="Timeline of publication with credits">',
           '<defs><marker id="pd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="pd-arrowhead"/></marker></defs>']
    for tick in _ticks(first, last):
        x = x_of(tick)
        out.append(f'<line class="pd-tick" x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 4}"/>'
                   f'<text class="pd-tick-label" x="{x:.1f}" y="16" text-anchor="middle">{tick.isoformat()}</text>')
    for i, name in enumerate(lanes):
        y = 30 + lane_h * i + lane_h / 2
        out.append(f'<text class="pd-lane" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{_e(_short(name, 28))}</text>')
    by_id = {a.id: a for a in dated}
    for src, outlet in credits:
        a, b = by_id.get(src), earliest.get(outlet)
        if a is None or b is None or a is b:
            continue
        (x1, y1), (x2, y2) = centre(a), centre(b)
        bend = (x1 + x2) / 2 - 0.25 * abs(y2 - y1)
        out.append(f'<path class="pd-credit" d="M{x1:.1f},{y1:.1f} Q{bend:.1f},{(y1 + y2) / 2:.1f} {x2:.1f},{y2:.1f}" '
                   f'marker-end="url(#pd-arrow)"><title>{_e(a.outlet)} credits {_e(outlet)}</title></path>')
    for a in dated:
        start, end = spans[a.id]
        cx, cy = centre(a)
        tip = f"{a.outlet} — {a.published_label} — {a.title or a.url}"
        if start == end:
            shape, tag = f'<circle class="pd-dot" cx="{cx:.1f}" cy="{cy:.1f}" r="5">', "circle"
        else:  # a month or a year: a bar over the days it allows
            shape, tag = (f'<rect class="pd-dot pd-dot--vague" x="{x_of(start):.1f}" y="{cy - 4:.1f}" '
                          f'width="{max(4.0, x_of(end) - x_of(start)):.1f}" height="8" rx="4">'), "rect"
        out.append(f'<a href="{href}{a.id}/">{shape}<title>{_e(tip)}</title></{tag}></a>')
    out.append("</svg>")
    return Markup("".join(out))


def _ticks(first: dt.date, last: dt.date, most: int = 6) -> list[dt.date]:
    days = (last - first).days
    if days <= 0:
        return [first]
    step = max(1, days // (most - 1))
    return [first + dt.timedelta(days=k) for k in range(0, days + 1, step)][:most]


def credit_graph(articles, document: dict, outlet_of: dict, edges) -> Markup:
    """Who credits whom (solid) and who copied whom whole (dotted), as a Mermaid flowchart."""
    names = sorted({a.outlet or a.id for a in articles} | {dst for _, dst in edges})
    ids = {name: f"o{i}" for i, name in enumerate(names)}
    lines = ["graph LR"]
    lines += [f'  {ids[n]}["{mermaid_label(n)}"]' for n in names]
    lines += [f"  {ids[src]} -->|credits| {ids[dst]}" for src, dst in edges if src != dst]
    for p in document.get("pairs", []):
        if p["relation"] == "copy":
            lines.append(f"  {ids[outlet_of[p['b']]]} -.->|copies {p['share']:.0f}%| {ids[outlet_of[p['a']]]}")
    if len(lines) == 1 + len(names):
        return Markup("")
    return Markup("```mermaid\n" + "\n".join(lines) + "\n```")
