"""pressdiff's WARC files in the standard web-archive tools: warcio, pywb, py-wacz (all real, on loopback)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from warcio.timeutils import iso_date_to_timestamp

from pressdiff.archive.reading import read_record
from pressdiff.archive.warc import warc_date
from pressdiff.core.store import Store

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent  # warcio, wacz: installed with pressdiff
# pywb pins redis 2.10, which scrapy-redis cannot use: `make test` installs it in a venv of its own
PYWB = Path(os.environ.get("PYWB_BIN") or Path(__file__).resolve().parent.parent / ".venv-pywb" / "bin")
if not (PYWB / "wayback").exists():
    pytest.skip(f"pywb is not installed in {PYWB} (make test installs it)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def pywb(root: Path, config: str | None = None):
    """pywb's `wayback` server on a free loopback port, serving the collections under root."""
    if config is not None:
        (root / "config.yaml").write_text(config, encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([str(PYWB / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:  # ready when it answers HTTP: on a loaded machine it accepted a connection and reset it
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # an answer all the same
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def _replay(base: str, coll: str, timestamp: str, url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(f"{base}/{coll}/{timestamp}id_/{url}", timeout=20) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), resp.read()


def _archived_pages(data: Path) -> list[tuple[str, str, bytes]]:
    """(timestamp, url, page as the server sent it, decoded) for every capture of the workspace."""
    pages = []
    with Store(data) as store:
        rows = store.db.execute("SELECT * FROM capture ORDER BY id").fetchall()
        for row in rows:
            source = store.articles.capture_by_record(row["refers_to"]) if row["refers_to"] else row
            _, _, decoded = read_record(data / source["warc_file"], source["warc_offset"])
            stamp = iso_date_to_timestamp(warc_date(row["fetched_at"]))
            pages.append((stamp, row["final_url"], decoded))
    return pages


def test_warc_records_are_what_replay_tools_expect(demo_build):
    data, _, _ = demo_build
    from warcio.archiveiterator import ArchiveIterator

    kinds = []
    for path in sorted((data / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            records = list(ArchiveIterator(fh))
        by_id = {r.rec_headers.get_header("WARC-Record-ID"): r for r in records}
        for r in records:
            kinds.append(r.rec_type)
            if r.rec_type == "metadata":
                assert r.rec_headers.get_header("Content-Type") == "application/warc-fields"
                assert by_id[r.rec_headers.get_header("WARC-Concurrent-To")].rec_type in ("response", "revisit")
            if r.rec_type == "response":  # the payload as received: gzip, as the demo server sends it
                assert r.http_headers.get_header("Content-Encoding") == "gzip"
                assert r.http_headers.get_header("Transfer-Encoding") is None
            if r.rec_type == "revisit":
                assert r.rec_headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
                assert r.rec_headers.get_header("WARC-Refers-To-Target-URI") == r.rec_headers.get_header(
                    "WARC-Target-URI")
                assert r.rec_headers.get_header("WARC-Refers-To-Date")
    # second crawl: four pages came back byte for byte, one changed
    assert kinds.count("response") == 6 and kinds.count("revisit") == 4
    index = (data / "warc" / "index.cdxj").read_text("utf-8").splitlines()
    assert len(index) == 10 and all('"mime": "application/warc-fields"' not in line for line in index)


def test_pywb_replays_every_archived_page_byte_for_byte(demo_build, tmp_path):
    data, _, _ = demo_build
    warc = (data / "warc").resolve()
    config = f"collections:\n  story:\n    index_paths: {warc / 'index.cdxj'}\n    archive_paths: {warc}/\n"
    pages = _archived_pages(data)
    assert len(pages) == 10
    with pywb(tmp_path, config) as base:
        for stamp, url, body in pages:
            status, ctype, replayed = _replay(base, "story", stamp, url)
            assert status == 200 and ctype.startswith("text/html"), (url, ctype)
            assert replayed == body, url


def test_wacz_export_validates_and_pywb_loads_it(demo_build, tmp_path, cli):
    data, doc, _ = demo_build
    wacz = tmp_path / "story.wacz"
    code, out, err = cli("export", "harbour-memo", "--wacz", wacz, "--data", data)
    assert code == 0, err
    assert "5 pages, 10 captures in 2 WARC files" in out
    check = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(wacz)], capture_output=True, text=True)
    assert check.returncode == 0 and "passed WACZ is valid" in check.stdout, check.stdout + check.stderr
    with zipfile.ZipFile(wacz) as z:
        import json

        lines = z.read("pages/pages.jsonl").decode().splitlines()
    listed = {json.loads(line)["url"] for line in lines[1:]}
    assert listed == {a["url"] for a in doc["articles"]}

    root = tmp_path / "pywb"
    root.mkdir()
    manager = str(PYWB / "wb-manager")
    subprocess.run([manager, "init", "wacz"], cwd=root, check=True, capture_output=True)
    subprocess.run([manager, "add", "--unpack-wacz", "wacz", str(wacz)], cwd=root, check=True, capture_output=True)
    with pywb(root) as base:
        for stamp, url, body in _archived_pages(data):
            assert _replay(base, "wacz", stamp, url)[2] == body, url


def test_export_refuses_what_it_cannot_write(demo_build, tmp_path, cli):
    data, _, _ = demo_build
    code, _, err = cli("export", "harbour-memo", "--data", data)
    assert code == 2 and "--wacz FILE, --csv DIR" in err
    code, _, err = cli("export", "harbour-memo", "--wacz", tmp_path / "nowhere" / "x.wacz", "--data", data)
    assert code == 2 and "no such folder" in err
    assert shutil.which("true")  # keep the session's demo untouched: nothing above wrote into it
    assert not list((data / "warc").glob("*.part"))


# -- importing other crawlers' archives ---------------------------------------------------


def _story(tmp_path, slug="imp"):
    path = tmp_path / f"{slug}.toml"
    path.write_text(f'slug = "{slug}"\ntitle = "Imported"\n', encoding="utf-8")
    return path


@pytest.mark.skipif(not shutil.which("wget"), reason="wget is installed by .ci/run")
def test_a_warc_written_by_wget_imports_and_replays(tmp_path, cli):
    from pressdiff.demo import DemoServer

    urls = ["http://calloway-lantern.test/news/harbour-authority-warns-staff.html",
            "http://bayside-daily.test/local/harbour-staff-warned-over-ferry-posts.html",
            "http://bayside-daily.test/no-such-page.html"]
    with DemoServer() as server:
        subprocess.run(["wget", "-q", "-e", "use_proxy=yes", "-e", f"http_proxy={server.url}", "--warc-file=wget",
                        "--header=Accept-Encoding: gzip", "-O", "/dev/null", *urls], cwd=tmp_path)
    warc = tmp_path / "wget.warc.gz"
    assert warc.is_file()
    data = tmp_path / "ws"
    code, out, err = cli("import", warc, "--story", _story(tmp_path), "--data", data)
    assert code == 0, err
    assert "2 imported" in out and "WARC warc/imported/wget.warc.gz: 2 pages" in out  # the 404 is not an article
    with Store(data) as store:
        versions = store.articles.versions("imp")
        assert {v.url for v in versions} == set(urls[:2])
        assert all(v.capture.warc_file == "warc/imported/wget.warc.gz" for v in versions)
        assert any("harbour" in v.text.lower() for v in versions)
    assert (data / "warc" / "imported" / "wget.warc.gz").read_bytes() == warc.read_bytes()
    code, out, _ = cli("import", warc, "--story", "imp", "--data", data)  # the same file again: nothing new
    assert code == 0 and "0 imported" in out and "2 archived already" in out
    assert sorted(p.name for p in (data / "warc" / "imported").iterdir()) == ["wget.warc.gz"]
    warc_dir = (data / "warc").resolve()
    config = f"collections:\n  w:\n    index_paths: {warc_dir / 'index.cdxj'}\n    archive_paths: {warc_dir}/\n"
    with pywb(tmp_path, config) as base:
        for stamp, url, body in _archived_pages(data):
            assert _replay(base, "w", stamp, url)[2] == body


def test_a_wacz_and_a_crawls_warc_files_import_into_another_workspace(demo_build, tmp_path, cli):
    demo, doc, _ = demo_build
    wacz = tmp_path / "demo.wacz"
    assert cli("export", "harbour-memo", "--wacz", wacz, "--data", demo)[0] == 0
    for source in ([wacz], sorted((demo / "warc").glob("*.warc.gz"))):
        data = tmp_path / f"ws-{len(source)}"
        code, out, err = cli("import", *source, "--story", _story(tmp_path), "--data", data)
        assert code == 0, err
        with Store(data) as store:
            captures = store.articles.captures("imp")
            texts = {v.url: v.text for v in store.articles.latest("imp")}
        assert len(captures) == 10  # four of them revisits, resolved to the payload they repeat
        assert set(texts) == {a["url"] for a in doc["articles"]}
        assert all(c["warc_file"].startswith("warc/imported/") for c in captures)


def test_damaged_or_foreign_archives_are_refused_in_one_line(tmp_path, cli):
    fake = tmp_path / "fake.warc.gz"
    fake.write_bytes(b"\x1f\x8b not really gzip")
    code, _, err = cli("import", fake, "--story", _story(tmp_path), "--data", tmp_path / "ws")
    assert code == 2 and "is not a readable WARC file" in err and "Traceback" not in err
    notzip = tmp_path / "x.wacz"
    notzip.write_text("hello")
    code, _, err = cli("import", notzip, "--story", "imp", "--data", tmp_path / "ws")
    assert code == 2 and "not a WACZ" in err
    evil = tmp_path / "evil.wacz"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("archive/../../../escape.warc.gz", b"")
    cli("import", evil, "--story", "imp", "--data", tmp_path / "ws")
    assert not list(tmp_path.glob("escape*")) and not (tmp_path / "ws" / "escape.warc.gz").exists()
