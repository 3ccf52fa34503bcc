"""The Jinja2 environment the templates render in, and the helpers they call."""

from __future__ import annotations

from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from warcio.timeutils import iso_date_to_timestamp

from pressdiff import RESOURCES
from pressdiff.archive.warc import warc_date
from pressdiff.compare.settings import CHANGE_ORDER
from pressdiff.core.errors import WorkError

from .escape import cite_block, diff_html, h, md, plural, ref, short_cite, title
from .figures import matrix_legend
from .fragments import Fragments
from .views import ArticleView, StoryView


def environment(fragments: Fragments) -> Environment:
    """Jinja2 for Markdown: every printed value is escaped unless the publisher marked it safe."""
    templates = RESOURCES / "templates"
    if not templates.is_dir():
        raise WorkError(f"pressdiff's templates are missing ({templates}); reinstall pressdiff")
    env = Environment(loader=FileSystemLoader(templates), undefined=StrictUndefined, autoescape=False,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      finalize=md)
    env.filters.update(h=h, md=md, diff=diff_html, raw=Markup, html=fragments.add)
    env.globals.update(ref=ref, title=title, cite_block=cite_block, legend=CHANGE_ORDER,
                       matrix_legend=matrix_legend, plural=plural, replay=replay_links, short_cite=short_cite)
    return env


def replay_links(s: StoryView, a: ArticleView) -> Markup:
    """Ways to see the archived page itself: its Wayback snapshot, and its replay from the WACZ."""
    c = a.capture
    if c is None:
        return Markup("")
    links = []
    if c.wayback_url:
        links.append(Markup('<a href="{}">Wayback Machine snapshot</a>').format(c.wayback_url))
    if s.wacz and c.warc_file and c.fetched_at:
        ts = iso_date_to_timestamp(warc_date(c.fetched_at))  # as the CDXJ index keys it
        target = c.final_url or a.url
        if s.absolute:  # ReplayWeb.page loads the WACZ from where the site is published
            href = (f"https://replayweb.page/?source={quote(s.root + '/' + s.wacz, safe='')}"
                    f"#view=pages&url={quote(target, safe='')}&ts={ts}")
            links.append(Markup('<a href="{}">replay from the WACZ (ReplayWeb.page)</a>').format(href))
        links.append(Markup('<a href="../../{}" download>WACZ of this story</a> (open it in ReplayWeb.page or '
                            'pywb; this capture: <code>{}</code> at {})').format(s.wacz, target, ts))
    return Markup(" · ").join(links)
