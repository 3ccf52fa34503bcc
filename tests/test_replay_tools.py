"""pressdiff's WARC files in the standard web-archive tools: warcio, pywb, py-wacz (all real, on loopback)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.store import Store
from crawler.replay import read_record

pytestmark = pytest.mark.slow
pytest.importorskip("pywb", reason="pywb is a test extra: pip install -e '.[test]'")

BIN = Path(sys.executable).parent


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
    proc = subprocess.Popen([str(BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
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
            source = store.archive.capture_by_record(row["refers_to"]) if row["refers_to"] else row
            _, _, decoded = read_record(data / source["warc_file"], source["warc_offset"])
            stamp = row["fetched_at"][:19].replace("-", "").replace(":", "").replace("T", "")
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
    manager = str(BIN / "wb-manager")
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
