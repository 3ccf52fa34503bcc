"""`pressdiff import`: good lines import, bad lines are reported by number and skipped."""

import json

from pressdiff.core.store import Store

from .conftest import REGISTER_URL


def test_bad_jsonl_lines_are_reported_by_number_and_the_rest_imports(cli, tmp_path, workspace):
    story = tmp_path / "s.toml"
    story.write_text('slug = "s"\ntitle = "S"\n', encoding="utf-8")
    lines = [
        json.dumps({"url": "https://a.example/1", "text": "First article. It said \"hello there everyone\"."}),
        "{not json",
        json.dumps({"url": "ftp://a.example/2", "text": "x"}),
        json.dumps({"url": "https://a.example/3"}),
        json.dumps({"url": "https://a.example/4", "text": "Dated.", "published": "the Ides of March"}),
        json.dumps(["a list"]),
        json.dumps({"url": "https://a.example/5", "text": "Second article.", "published": "2017-03-14",
                    "outlet": "Example", "section": "UK"}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = cli("import", src, "--story", story, "--data", workspace)
    assert code == 0
    assert "3 imported, 1 with warnings, 4 skipped" in out
    for number, words in [(2, "not valid JSON"), (3, "'url'"), (4, "no article text"), (6, "JSON object")]:
        assert f"pressdiff: skipped {src}:{number}: " in err and words in err
    # an unreadable optional field never drops the article: it is kept undated, with a warning
    assert f"pressdiff: warning: {src}:5: published: not a date: 'the Ides of March'" in err
    with Store(workspace) as store:
        versions = {v.url: v for v in store.articles.versions("s")}
    assert set(versions) == {"https://a.example/1", "https://a.example/4", "https://a.example/5"}
    assert versions["https://a.example/4"].published is None
    assert versions["https://a.example/5"].meta == {"section": "UK"}
    assert versions["https://a.example/5"].outlet == "Example"


def test_import_with_only_bad_lines_exits_2(cli, tmp_path, workspace):
    story = tmp_path / "s.toml"
    story.write_text('slug = "s"\ntitle = "S"\n', encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text("nope\n", encoding="utf-8")
    code, _, err = cli("import", src, "--story", story, "--data", workspace)
    assert code == 2 and f"{src}:1:" in err


def test_import_of_html_re_extracts_the_text(cli, tmp_path, workspace):
    story = tmp_path / "s.toml"
    story.write_text('slug = "s"\ntitle = "S"\n', encoding="utf-8")
    body = "".join(f"<p>Paragraph {i} of a reasonably long article about the harbour and its ferry.</p>" for i in range(8))
    html = f"<html><head><title>T</title></head><body><nav>Home News</nav><article><h1>T</h1>{body}</article></body></html>"
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"url": "https://a.example/h", "html": html}) + "\n", encoding="utf-8")
    code, out, _ = cli("import", src, "--story", story, "--data", workspace)
    assert code == 0
    with Store(workspace) as store:
        text = store.articles.versions("s")[0].text
    assert "Paragraph 7 of a reasonably long article" in text and "Home News" not in text


def test_real_corpus_import_and_compare_make_the_register_the_origin(cli, corpus_jsonl, workspace, tmp_path):
    from tests import PROJECT_ROOT
    story = PROJECT_ROOT / "stories" / "home-office-trump.toml"
    code, out, err = cli("import", corpus_jsonl, "--story", story, "--data", workspace)
    assert code == 0, err
    out_json = tmp_path / "out.json"
    code, out, err = cli("compare", "home-office-trump", "--json", out_json, "--data", workspace)
    assert code == 0, err
    doc = json.loads(out_json.read_text("utf-8"))
    articles = {a["id"]: a for a in doc["articles"]}
    register = next(a["id"] for a in doc["articles"] if a["url"] == REGISTER_URL)
    email_quotes = ["We need to be careful here", "a quick look through just a couple",
                    "stating that they work for the Home Office"]
    for fragment in email_quotes:
        cluster = next(c for c in doc["clusters"] if fragment.lower() in c["canonical"].lower())
        assert cluster["origin"] == register, fragment
        assert cluster["variants"][0]["article"] == register
        carriers = {articles[v["article"]]["outlet"] for v in cluster["variants"]}
        assert len(carriers) >= 3, (fragment, carriers)
    for c in doc["clusters"]:
        for v in c["variants"]:
            assert v["article"] in articles and v["end"] > v["start"]
    # offsets point into the stored text exactly
    with Store(workspace) as store:
        texts = {a.id: a.text for a in store.articles.articles("home-office-trump")}
    for c in doc["clusters"]:
        for v in c["variants"]:
            assert texts[v["article"]][v["start"]:v["end"]] == v["text"]
    credited = {(articles[c["article"]]["outlet"], c["credits"]) for c in doc["credits"]}
    assert ("International Business Times UK", "The Register") in credited
    assert ("RT", "The Register") in credited
    assert ("Operation Black Vote", "The Daily Telegraph") in credited
