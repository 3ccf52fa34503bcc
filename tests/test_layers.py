"""The layers import one way: core <- compare <- crawler <- pressdiff (scripts/import_graph.py)."""

import subprocess
import sys

from tests import PROJECT_ROOT


def test_no_package_imports_a_layer_above_it():
    proc = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "import_graph.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert "UPWARD" not in proc.stdout
    assert not any(line.startswith("core ->") for line in proc.stdout.splitlines())  # core imports none
