"""The speaker model on real annotations: PolNeAR (skipped where ../shared is absent).

Dev is the held-out split: the model never trained on it, so its figures are the estimate for
unseen news (issue goal: speaker accuracy >= 0.92 with direct-quote overlap F1 >= 0.95).
"""

from __future__ import annotations

import subprocess
import sys
from argparse import Namespace

import pytest

from tests import PROJECT_ROOT

from .conftest import SHARED

POLNEAR = SHARED / "data" / "attribution" / "polnear"
sys.path.insert(0, str(PROJECT_ROOT / "bench"))


def need(split):
    if not (POLNEAR / split).is_dir():
        pytest.skip(f"PolNeAR {split} split not found under {POLNEAR}")


@pytest.mark.parametrize("attributed_only", [True, False])
def test_held_out_dev_speaker_accuracy_and_quote_f1(attributed_only):
    need("dev")
    from attribution import evaluate

    figures = evaluate(Namespace(shared=SHARED, errors=0), "dev", attributed_only)
    assert figures["speaker_accuracy"] >= 0.92
    assert figures["overlap_f1"] >= 0.95


@pytest.mark.slow
def test_the_shipped_model_is_what_the_training_script_makes_from_train(tmp_path):
    need("train")
    out = tmp_path / "speaker_model.json"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "train_speakers.py"), "--shared", str(SHARED),
                    "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == (PROJECT_ROOT / "compare" / "speaker_model.json").read_bytes()


def test_no_speaker_string_carries_a_cue_word_on_real_news():
    need("train")
    import re

    from pressdiff.compare.quotes import find_quotes
    from pressdiff.compare.settings import CUE_VERBS

    cue = re.compile(rf"\b(?:{CUE_VERBS})\b|^(?i:{CUE_VERBS})\b")  # "United States" is a name
    speakers = [q.speaker for split in ("dev", "train") for p in sorted((POLNEAR / split / "text").glob("*.txt"))
                for q in find_quotes("x", p.read_text("utf-8")) if q.speaker]
    assert len(speakers) > 7000
    assert [s for s in speakers if cue.search(s) or not s.strip()] == []


def test_no_speaker_mention_begins_or_ends_inside_a_word_on_real_news():
    # the cue rules once read "her intelligence source" in "Another intelligence source", "th graders"
    # in "9th graders" and "he" in "her"; the model's candidates read a particle inside the next word
    # ("Boot la|ments"): the mention of every quotation's speaker, rules and model, opens and ends a word
    need("train")
    from pressdiff.compare.quotes import find_quotes

    cut = []
    for split in ("dev", "train"):
        for p in sorted((POLNEAR / split / "text").glob("*.txt")):
            text = p.read_text("utf-8")
            for weights in ({}, None):
                for q in find_quotes("x", text, weights=weights):
                    s, e = q.mention_start, q.mention_end
                    if s is not None and ((s > 0 and text[s - 1].isalnum() and text[s].isalnum())
                                          or (e < len(text) and text[e - 1].isalnum() and text[e].isalnum())):
                        cut.append((p.stem, s))
    assert cut == []
