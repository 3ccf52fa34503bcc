"""#25: every one of the 181 real benchmark pages, fed as a hostile variant, is extracted without a
crash or a hang: cut in half mid-tag, mislabelled (a wrong <meta charset>, and re-encoded as
UTF-16 with no label at all), and wrapped in 10 MB of nested elements. Skipped where ../shared
is absent."""

from __future__ import annotations

import gzip
import json
import signal
import time

import pytest

from pressdiff.archive.extract import extract

from .conftest import SHARED

SCRAPINGHUB = SHARED / "data" / "extraction" / "scrapinghub"
NEST = 10 * 1024 * 1024 // len(b"<div></div>")  # elements of 10 MB of nesting
SECONDS = 20  # no page may take longer: a hang, not a slow page


def pages():
    if not (SCRAPINGHUB / "ground-truth.json").is_file():
        pytest.skip(f"the benchmark pages are not under {SCRAPINGHUB}")
    gold = json.loads((SCRAPINGHUB / "ground-truth.json").read_text("utf-8"))
    for pid in sorted(gold):
        yield pid, gzip.decompress((SCRAPINGHUB / "html" / f"{pid}.html.gz").read_bytes())


def variants(page: bytes):
    yield "truncated", page[: len(page) // 2]
    yield "wrong charset", page.replace(b"<head>", b'<head><meta charset="shift_jis">', 1)
    yield "utf-16 unlabelled", page.decode("utf-8", "replace").encode("utf-16-le")
    yield "10 MB of nesting", page.replace(b"<body", b"<body><div>" + b"<div>" * NEST + b"</div>" * NEST + b"</div", 1)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


@pytest.mark.slow
def test_no_benchmark_page_crashes_or_hangs_as_a_hostile_variant():
    old = signal.signal(signal.SIGALRM, _alarm)
    failures, slowest, count = [], (0.0, ""), 0
    try:
        for pid, page in pages():
            for name, body in variants(page):
                signal.alarm(SECONDS)
                start = time.monotonic()
                try:
                    found = extract(body, url="https://hostile.example/")
                    assert found is None or isinstance(found.text, str) and found.text.strip()
                except Hang:
                    failures.append(f"{pid} {name}: no answer in {SECONDS} s")
                except Exception as exc:  # noqa: BLE001 - any exception is the failure this test finds
                    failures.append(f"{pid} {name}: {type(exc).__name__}: {exc}")
                finally:
                    signal.alarm(0)
                took = time.monotonic() - start
                slowest = max(slowest, (took, f"{pid} {name}"))
                count += 1
    finally:
        signal.signal(signal.SIGALRM, old)
    assert count == 181 * 4
    assert failures == [], failures[:10]
    assert slowest[0] < SECONDS, slowest
