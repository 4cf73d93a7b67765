"""`pip install --no-build-isolation .` into a virtual environment, offline, with Debian's
setuptools (docs/python.md). Slow: it builds the library again (build/pip)."""

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_pip_installs_offline_into_a_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-build-isolation", "--no-index", str(REPO)],
                   check=True, capture_output=True, timeout=7200)
    script = (
        "import parley; s = parley.load(%r); "
        "r = parley.negotiate(s, strategies=['boulware', 'conceder'], seed=2); "
        "print(parley.__file__, r.agreement)" % str(REPO / "bindings" / "python" / "tests" / "data" / "orchard.yaml")
    )
    out = subprocess.run([str(python), "-c", script], check=True, capture_output=True, text=True,
                         cwd=tmp_path).stdout
    assert str(venv) in out and out.strip().endswith("True")
