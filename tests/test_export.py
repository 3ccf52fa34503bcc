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
    # each variant's attribution (SPEC), flat: kind, source and cue as printed with offsets, content spans
    attributed = [(row, v) for row, v in zip(tables["variants"], variants) if v.get("attribution")]
    assert attributed and all(not r["attribution"] for r, v in zip(tables["variants"], variants)
                              if not v.get("attribution"))
    for row, v in attributed:
        a = v["attribution"]
        assert row["attribution"] == a["kind"]
        assert row["content"] == " ".join(f"{c['start']}:{c['end']}" for c in a["content"])
        for role in ("source", "cue"):
            span = a[role] or {"text": "", "start": "", "end": ""}
            assert (row[role].lstrip("'"), row[f"{role}_start"], row[f"{role}_end"]) == \
                (span["text"], str(span["start"]), str(span["end"]))
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


def test_parquet_export_has_the_csv_rows_typed(demo_build, tmp_path, cli):
    import pyarrow.parquet as pq

    data, doc, _ = demo_build
    code, out, err = cli("export", "harbour-memo", "--csv", tmp_path / "csv", "--parquet", tmp_path / "pq",
                         "--data", data)
    assert code == 0, err
    assert "Parquet in" in out and "CSV in" in out
    for name in ("articles", "quotations", "clusters", "variants", "credits"):
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        rows = _read(tmp_path / "csv" / f"{name}.csv")
        assert table.num_rows == len(rows) > 0, name
        assert table.column_names == list(rows[0]), name
        first = table.slice(0, 1).to_pylist()[0]
        assert {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                for k, v in first.items()} == {k: v.lstrip("'") for k, v in rows[0].items()}, name
    variants = pq.read_table(tmp_path / "pq" / "variants.parquet")
    assert str(variants.schema.field("similarity").type) == "double"
    assert str(variants.schema.field("quoted").type) == "bool"
    assert str(variants.schema.field("source_start").type) == "int64"
    assert set(variants.column("attribution").to_pylist()) - {None} <= {"direct", "mixed", "indirect"}
    assert variants.column("text").to_pylist() == [v["text"] for c in doc["clusters"] for v in c["variants"]]


def test_export_of_a_story_never_compared_is_input_error(tmp_path, cli):
    (tmp_path / "s.toml").write_text('slug = "s"\ntitle = "S"\n')
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"url": "https://a.example/1", "text": "Some words here."}) + "\n")
    assert cli("import", src, "--story", tmp_path / "s.toml", "--data", tmp_path / "ws")[0] == 0
    code, out, err = cli("export", "s", "--parquet", tmp_path / "pq", "--data", tmp_path / "ws")
    assert code == 2
    assert err.strip().splitlines()[-1] == ("pressdiff: error: story 's' has not been compared yet: "
                                            "run `pressdiff compare s` first")
