"""Shared fixtures of the Python package's tests, and how absent data is reported.

The corpus (../shared/data) and NegMAS (../shared/negmas) are read beside the checkout (or where
PARLEY_SHARED_DATA_DIR / PARLEY_NEGMAS_DIR say); tests that need them are marked `corpus` /
`negmas` and skip when they are absent. A run in which nothing passed and something was skipped
ends with a "parley-tests: skipped:" line, which ctest reports as a skipped test.
"""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DATA = Path(os.environ.get("PARLEY_SHARED_DATA_DIR", REPO.parent / "shared" / "data"))
NEGMAS_DIR = Path(os.environ.get("PARLEY_NEGMAS_DIR", REPO.parent / "shared" / "negmas"))
HERE = Path(__file__).resolve().parent

if NEGMAS_DIR.is_dir() and str(NEGMAS_DIR) not in sys.path:
    sys.path.append(str(NEGMAS_DIR))

import parley  # noqa: E402  (after the path set-up)


def negmas_available() -> bool:
    try:
        import negmas  # noqa: F401
    except Exception:
        return False
    return True


def pytest_configure(config):
    config.addinivalue_line("markers", "corpus: needs the scenario corpus (../shared/data)")
    config.addinivalue_line("markers", "negmas: needs NegMAS (../shared/negmas)")
    config.addinivalue_line("markers", "slow: long; left out of the default run")


_skipped_for = set()


def pytest_collection_modifyitems(config, items):
    negmas_ok = None
    for item in items:
        if "corpus" in item.keywords and not DATA.is_dir():
            _skipped_for.add(f"corpus absent at {DATA}")
            item.add_marker(pytest.mark.skip(reason=f"corpus absent at {DATA}"))
        if "negmas" in item.keywords:
            if negmas_ok is None:
                negmas_ok = negmas_available()
            if not negmas_ok:
                _skipped_for.add(f"NegMAS not importable (looked in {NEGMAS_DIR})")
                item.add_marker(pytest.mark.skip(reason="NegMAS not importable"))


def pytest_terminal_summary(terminalreporter):
    passed = len(terminalreporter.stats.get("passed", []))
    skipped = len(terminalreporter.stats.get("skipped", []))
    if passed == 0 and skipped > 0:
        reasons = "; ".join(sorted(_skipped_for)) or "see above"
        terminalreporter.write_line(f"parley-tests: skipped: {reasons}")


@pytest.fixture(scope="session")
def orchard():
    return parley.load(HERE / "data" / "orchard.yaml")


@pytest.fixture(scope="session")
def consortium():
    return parley.load(HERE / "data" / "consortium.yaml")


@pytest.fixture(scope="session")
def ceasefire():
    return parley.load(REPO / "examples" / "ceasefire.yaml")


@pytest.fixture(scope="session")
def riverside():
    return parley.load(REPO / "examples" / "riverside.yaml")


def corpus(*parts: str) -> Path:
    return DATA.joinpath(*parts)


def cli() -> str:
    """The parley CLI of the same build, for comparing with its output (None when unknown)."""
    path = os.environ.get("PARLEY_CLI_PATH")
    if path and Path(path).exists():
        return path
    built = REPO / "build" / "release" / "apps" / "cli" / "parley"
    return str(built) if built.exists() else None
