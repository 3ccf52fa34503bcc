"""pressdiff installed as users install it: the wheel, in a fresh virtualenv, run outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile

import pytest

import pressdiff
from tests import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_the_wheel_installs_into_a_fresh_venv_and_runs_the_demo_elsewhere(tmp_path):
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(PROJECT_ROOT)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    # one import name: no top-level core, compare or crawler to clash with another distribution's
    assert {n.split("/")[0] for n in names} == {"pressdiff", f"pressdiff-{pressdiff.__version__}.dist-info"}
    for data in ("mkdocs.yml", "templates/story.md.j2", "site/methodology.md", "demo/story.toml",
                 "stories/home-office-trump.toml"):
        assert f"pressdiff/resources/{data}" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    installed = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet",
                                "--disable-pip-version-check", str(wheel)], capture_output=True, text=True, env=env)
    assert installed.returncode == 0, installed.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*args, tool="pressdiff"):
        proc = subprocess.run([str(bin_dir / tool), *map(str, args)], capture_output=True, text=True, env=env,
                              cwd=elsewhere, timeout=300)
        assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-2000:])
        return proc.stdout

    assert run("--version").strip() == f"pressdiff, version {pressdiff.__version__}"
    where = run("-c", "import pressdiff, importlib.util; print(pressdiff.__file__); "
                      "print(importlib.util.find_spec('core'), importlib.util.find_spec('compare'))", tool="python")
    assert where.splitlines() == [str(env_dir / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
                                      / "site-packages" / "pressdiff" / "__init__.py"), "None None"]

    out = run("demo", "--data", "ws")
    assert "demo finished" in out
    assert (elsewhere / "ws" / "public" / "harbour-memo" / "index.html").is_file()
    out = run("site", "--data", "ws", "--site-url", "https://example.org/archive/")  # a new URL: built again
    assert "site: " in out and "unchanged" not in out
    cited = json.loads(run("cite", "make sure every colleague follows this guidance", "--data", "ws",
                           "--format", "json"))
    assert cited["matches"] and cited["matches"][0]["first"]["archive"]["warc"]
    out = run("export", "harbour-memo", "--data", "ws", "--wacz", "story.wacz", "--csv", "tables")
    assert (elsewhere / "story.wacz").is_file() and (elsewhere / "tables" / "variants.csv").is_file(), out
