"""`pressdiff export --csv`: every row of the comparison, each with its outlet; hostile cells defused."""

from __future__ import annotations

import csv
import json

from pressdiff.core.store import Store
from pressdiff.export import export_csv


def _read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_export_is_complete_with_an_outlet_column(demo_build, tmp_path, cli):
    data, doc, _ = demo_build
    out_dir = tmp_path / "tables"
    code, out, err = cli("export", "harbour-memo", "--csv", out_dir, "--data", data)
    assert code == 0, err
    tables = {name: _read(out_dir / f"{name}.csv") for name in
              ("articles", "quotations", "clusters", "variants", "credits")}
    variants = [v for c in doc["clusters"] for v in c["variants"]]
    assert len(tables["articles"]) == len(doc["articles"])
    assert len(tables["quotations"]) == len(doc["quotes"])
    assert len(tables["clusters"]) == len(doc["clusters"])
    assert len(tables["variants"]) == len(variants)
    assert len(tables["credits"]) == len(doc["credits"])
    outlets = {a["id"]: a["outlet"] for a in doc["articles"]}
    for name, rows in tables.items():
        key = "origin_outlet" if name == "clusters" else "outlet"
        assert all(r[key] for r in rows), name
        if name != "clusters":
            assert all(r[key] == outlets[r["article"]] for r in rows), name
    first = tables["variants"][0]
    assert first["text"] == variants[0]["text"] and first["changes"] == " ".join(variants[0]["changes"])
    captured = {r["article"]: r for r in tables["articles"]}
    assert all(r["warc_file"].startswith("warc/") and r["sha256"] for r in captured.values())
    assert f"{len(variants)} variants" in out


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(tmp_path):
    from pressdiff.core.story import parse_story

    data = tmp_path / "ws"
    story = parse_story('slug = "h"\ntitle = "Hostile"\n')
    text = '=HYPERLINK("http://evil.example","click") said "=1+1 is two, says the memo", and more.'
    src = tmp_path / "h.jsonl"
    src.write_text(json.dumps({"url": "https://evil.example/1", "outlet": "@Evil", "text": text}) + "\n")
    from click.testing import CliRunner

    from pressdiff.cli import main

    runner = CliRunner()
    (tmp_path / "h.toml").write_text('slug = "h"\ntitle = "Hostile"\n')
    assert runner.invoke(main, ["import", str(src), "--story", str(tmp_path / "h.toml"), "--data", str(data)]).exit_code == 0
    assert runner.invoke(main, ["compare", "h", "--data", str(data)]).exit_code == 0
    with Store(data) as store:
        export_csv(store, story, tmp_path / "out")
    cells = [c for name in ("articles", "quotations", "variants") for row in _read(tmp_path / "out" / f"{name}.csv")
             for c in row.values()]
    assert "'@Evil" in cells
    assert not any(c[:1] in "=+-@" for c in cells if c)
