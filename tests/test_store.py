"""The archive store: migrations, versions only on change, stable keys."""

import json
import sqlite3

from pressdiff.core.store import Store, article_key, migrations
from pressdiff.core.store.document import SECTIONS, read_document, read_entries, write_document
from pressdiff.core.story import parse_story

STORY = parse_story('slug = "s"\ntitle = "S"\n')


def test_schema_is_migrated_to_the_latest_version_in_wal_mode(workspace):
    with Store(workspace) as store:
        store.articles.save_story(STORY)
    db = sqlite3.connect(workspace / "pressdiff.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations()[-1][0]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"story", "capture", "article", "article_version", "quote", "cluster", "variant", "credit"} <= tables


def test_reopening_keeps_data_and_does_not_migrate_twice(workspace):
    with Store(workspace) as store:
        store.articles.save_story(STORY)
        store.articles.save_article("s", "https://x.org/a", "Text one.")
    with Store(workspace) as store:
        assert [v.text for v in store.articles.versions("s")] == ["Text one."]


def test_new_version_only_when_text_changes(workspace):
    with Store(workspace) as store:
        store.articles.save_story(STORY)
        first = store.articles.save_article("s", "https://x.org/a", "Same words.")
        again = store.articles.save_article("s", "https://x.org/a", "Same words.")
        changed = store.articles.save_article("s", "https://x.org/a", "Same words, and an update.")
        assert (first.version, first.created) == (1, True)
        assert (again.version, again.created) == (1, False)
        assert (changed.version, changed.created) == (2, True)
        assert [a.version for a in store.articles.articles("s")] == [2]
        assert len(store.articles.versions("s", first.key)) == 2


def test_article_keys_are_stable_and_text_is_nfc(workspace):
    assert article_key("https://x.org/a") == article_key("https://x.org/a")
    with Store(workspace) as store:
        store.articles.save_story(STORY)
        store.articles.save_article("s", "https://x.org/a", "Cafe\u0301\r\nnext")
        assert store.articles.articles("s")[0].text == "Caf\u00e9\nnext"


def test_a_running_crawl_is_known_by_its_process_id_and_start_time(workspace):
    import os

    import pytest

    from pressdiff.core.errors import WorkError

    with Store(workspace) as store:
        store.articles.save_story(STORY)
        run, resumed = store.runs.start_run("s", os.getpid())  # this process plays the running crawl
        assert not resumed
        with pytest.raises(WorkError, match="already running"):
            store.runs.start_run("s", os.getpid() + 1)
        # the same id with another start time is a later process that reused the id: resume
        store.db.execute("UPDATE crawl_run SET pid_started = pid_started + 1 WHERE id = ?", (run,))
        assert store.runs.start_run("s", os.getpid() + 1) == (run, True)


def _plan(db, statement: str) -> list[str]:
    """The steps of SQLite's query plan for a statement (every named parameter null)."""
    import re

    params = {name: None for name in re.findall(r":(\w+)", statement)}
    return [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + statement, params)]


def _wasteful(plan: list[str]) -> list[str]:
    """Steps that visit rows the statement does not need: a full scan, a sort in a temporary B-tree,
    or a search of all of a story's captures (by story alone)."""
    import re

    return [step for step in plan if re.search(r"^SCAN |TEMP B-TREE|^SEARCH capture .*\(story=\?\)$", step)]


def test_every_per_page_statement_is_served_by_an_index(workspace):
    """A crawl runs these for every page: none may cost more as the archive grows."""
    from pressdiff.core.store.statements import PER_PAGE, REVISIT_LOOKUP

    with Store(workspace) as store:
        store.articles.save_story(STORY)
        run, _ = store.runs.start_run("s", 1)
        with store.transaction():
            for i in range(300):  # enough rows for ANALYZE's statistics to matter
                url = f"https://x.org/{i}"
                store.articles.add_capture("s", url=url, final_url=url, status=200, fetched_at="2026-03-02T10:00:00",
                                          found_by="seed", sha256=f"{i:064d}", record_id=f"<urn:uuid:{i}>", run=run)
                store.runs.frontier_add(run, url, "seed")
                store.articles.save_article("s", url, f"Text {i}.")
        store.db.execute("ANALYZE")
        for name, statement in PER_PAGE.items():
            plan = _plan(store.db, statement)
            assert not _wasteful(plan), (name, plan)
        # the check catches what made crawls quadratic: the revisit lookup without its index
        # (a new connection: sqlite3's statement cache would answer with the old plan)
        store.db.execute("DROP INDEX capture_payload")
    assert _wasteful(_plan(sqlite3.connect(workspace / "pressdiff.db"), REVISIT_LOOKUP))


def test_comparison_json_is_written_as_json_dumps_indented_writes_it(tmp_path):
    """The writer's bytes are json.dumps(document, ensure_ascii=False, indent=2)'s, whatever the
    entries hold: scraped text's marks, escapes and control characters, non-BMP characters,
    rounded and unrounded floats, empty containers, and integers past 64 bits."""
    text = "“Quoted,” she said \"at\" 5\u2028pm\t\x00\x1f\x7f \\ é 😀 \ud7ff </script>"
    sections = {name: [] for name in SECTIONS}
    sections["clusters"] = [{"id": "q1", "canonical": text, "quoted": True, "speaker": None,
                             "variants": [{"similarity": s, "changes": [], "diff": [["equal", text, text]]}
                                          for s in (0.0, 3.7, 62.5, 100.0, 1 / 3)], "boilerplate": {}}]
    sections["pairs"] = [{"a": "x", "b": "y", "share": 10.0, "n": -(2 ** 63)}, {"big": 2 ** 64 + 1}]
    path = tmp_path / "c.json"
    write_document(path, "s", sections)
    assert path.read_bytes() == (json.dumps({"story": "s", **sections}, ensure_ascii=False, indent=2) + "\n").encode()


def test_comparison_json_reads_the_same_whatever_its_layout(tmp_path):
    """core/store/document.py reads what it writes, and the same document indented otherwise or
    not at all (another tool's), entry by entry, long strings and numbers across its chunks."""
    sections = {name: [] for name in SECTIONS}
    sections["articles"] = [{"id": f"a{i}", "title": "x" * (i * 997), "share": i / 7, "n": 10 ** i} for i in range(40)]
    sections["clusters"] = [{"id": "q1", "variants": [{"text": "said \"it\", ", "diff": [["=", "a", "a"]]}]}, {}]
    doc = {"story": "s", **sections}
    written = tmp_path / "written.json"
    write_document(written, "s", sections)
    assert json.loads(written.read_text("utf-8")) == doc
    for layout in (None, 4, "\t"):
        path = tmp_path / f"other-{layout!r}.json"
        path.write_text(json.dumps(doc, indent=layout, ensure_ascii=False), encoding="utf-8")
        for p in (written, path):
            assert read_document(p) == doc
            assert list(read_entries(p, {"clusters"})) == [("clusters", c) for c in sections["clusters"]]
    compact = tmp_path / "compact.json"
    compact.write_text('{"story":"s","articles":[],"clusters":[{"n":12345}],"extra":7}', encoding="utf-8")
    assert read_document(compact)["extra"] == 7 and list(read_entries(compact)) == [("clusters", {"n": 12345})]
