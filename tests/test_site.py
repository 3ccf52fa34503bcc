"""The published site: hostile scraped text renders as plain text."""

import json

import pytest

from core.store import Store

HOSTILE_TITLE = "Ferry row <script>alert('t')</script> **bold** {{ config }}"
HOSTILE_TEXT = ("The board met on Monday. <img src=x onerror=alert(1)> "
                '"We must be careful here and follow this guidance <b>now</b> {% raw %}," the memo said.\n\n'
                "# Not a heading\n\n[click](javascript:alert(2)) | a | table |")


@pytest.mark.slow
def test_hostile_title_and_text_render_as_plain_text(cli, tmp_path, workspace):
    story = tmp_path / "s.toml"
    story.write_text('slug = "hostile"\ntitle = "Hostile <i>story</i>"\npublish_full_text = true\n', "utf-8")
    src = tmp_path / "in.jsonl"
    rows = [{"url": "https://evil.example/a", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT,
             "outlet": "Evil <b>Outlet</b>", "published": "2026-01-01"},
            {"url": "https://other.example/b", "title": "Copy", "published": "2026-01-02",
             "text": 'Later: "We must be careful here and follow this guidance <b>now</b>," it said.'}]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    assert cli("import", src, "--story", story, "--data", workspace)[0] == 0
    assert cli("compare", "hostile", "--data", workspace)[0] == 0
    code, out, err = cli("site", "hostile", "--data", workspace)
    assert code == 0, err
    public = workspace / "public"
    html = "\n".join(p.read_text("utf-8") for p in public.rglob("*.html"))
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Outlet" not in html and "<b>now" not in html
    assert 'href="javascript:' not in html
    with Store(workspace) as store:
        key = next(a.id for a in store.archive.articles("hostile") if a.url == "https://evil.example/a")
    page = (public / "hostile" / "articles" / key / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert" in page
    assert "{{ config }}" in page.replace("&#123;", "{").replace("&#125;", "}")
    assert "<h1 id=\"not-a-heading\"" not in page
