"""parley.tournament: the library's runner from Python, with C++ and Python strategies."""

import csv
import subprocess

import pytest

import parley
from conftest import HERE, cli
from test_negotiate import PyHardliner, Threshold

ORCHARD = str(HERE / "data" / "orchard.yaml")


def without_time(rows):
    """Rows as comparable tuples: elapsed_ms is the one column that differs between runs."""
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    kept = []
    for row in rows:
        row = dict(row)
        row.pop("elapsed_ms")
        kept.append(tuple(sorted((key, _normal(value)) for key, value in row.items())))
    return sorted(kept)


def _normal(value):
    if value is None or value != value:  # None and NaN (pandas' missing value)
        return None
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 9) if isinstance(value, float) else value


def test_cpp_strategies_give_the_cli_rows(tmp_path):
    program = cli()
    if program is None:
        pytest.skip("the parley CLI is not built")
    config = tmp_path / "t.yaml"
    config.write_text(f"scenarios: [{ORCHARD}]\nstrategies: [boulware, conceder, tit_for_tat]\n"
                      "rounds: 40\nrepetitions: 2\nseed: 3\n")
    out = tmp_path / "cli.csv"
    subprocess.run([program, "tournament", str(config), "-o", str(out), "--no-progress"],
                   check=True, capture_output=True)
    with open(out) as file:
        expected = list(csv.DictReader(file))
    rows = parley.tournament(config, threads=2)
    assert list(rows.columns) == parley._parley._result_columns(2)
    assert len(rows) == len(expected) == 9 * 2
    cli_rows = []
    for row in expected:
        converted = {}
        for key, value in row.items():
            if value == "":
                converted[key] = "" if key == "mediator" else None
            elif key in ("repetition", "rounds", "illegal_actions", "seed"):
                converted[key] = int(value)
            elif key == "agreement":
                converted[key] = value == "true"
            else:
                try:
                    converted[key] = float(value)
                except ValueError:
                    converted[key] = value
        cli_rows.append(converted)
    assert without_time(rows) == without_time(cli_rows)
    summary = rows.attrs["summary"]
    assert set(summary["strategy"]) == {"boulware", "conceder", "tit_for_tat"}
    assert list(summary["rank"])[0] == 1


def test_python_and_cpp_strategies_together_deterministic_for_any_threads():
    config = {"scenarios": [ORCHARD], "strategies": ["boulware", PyHardliner(), "conceder"],
              "rounds": 30, "repetitions": 2, "seed": 11}
    one = parley.tournament(config, threads=1)
    two = parley.tournament(config, threads=2)
    assert len(one) == 3 * 3 * 2
    assert without_time(one) == without_time(two)
    labels = set(one["strategy_1"]) | set(one["strategy_2"])
    assert labels == {"boulware", "PyHardliner", "conceder"}
    # The Python hardliner's rows are the C++ hardliner's rows (labels aside).
    cpp = parley.tournament(dict(config, strategies=["boulware", "hardliner", "conceder"]), threads=2)
    def played(rows, label):
        out = []
        for row in rows.to_dict("records"):
            out.append((row["strategy_1"].replace(label, "H"), row["strategy_2"].replace(label, "H"),
                        row["repetition"], row["agreement"], row["rounds"], round(row["utility_1"], 12)))
        return sorted(out)
    # Seeds hash labels, but both strategies involved with H are deterministic, so only rows
    # without the random-free pair matter: every strategy here is deterministic.
    assert played(one, "PyHardliner") == played(cpp, "hardliner")


def test_results_file_resume_and_summary(tmp_path):
    output = tmp_path / "results.jsonl"
    config = {"scenarios": [parley.load(ORCHARD)], "strategies": ["boulware", "hardliner"],
              "rounds": 20, "seed": 2}
    first = parley.tournament(config, output=output)
    assert output.exists()
    assert first.attrs["run"]["finished"] == 4
    again = parley.tournament(config, output=output)
    assert again.attrs["run"]["previously_done"] == 4 and again.attrs["run"]["finished"] == 0
    assert without_time(first) == without_time(again)
    # The file lists rows as they finished, the run in schedule order: sums agree to rounding.
    import pandas.testing

    pandas.testing.assert_frame_equal(parley.summarize(output), first.attrs["summary"], rtol=1e-12)


def test_registered_python_strategies_in_grids_and_files(tmp_path):
    parley.register(Threshold, name="py_floor")
    try:
        grid = parley.tournament({"scenarios": [ORCHARD],
                                  "strategies": ["boulware", {"name": "py_floor", "parameters": {"floor": [0.2, 0.9]}}],
                                  "rounds": 20})
        labels = set(grid["strategy_1"])
        assert labels == {"boulware", "py_floor(floor=0.2)", "py_floor(floor=0.9)"}
        # Canonical specs list every parameter; labels keep the config's spelling.
        assert set(grid["strategy_2"]) == labels
        config = tmp_path / "t.yaml"
        config.write_text(f"scenarios: [{ORCHARD}]\nstrategies: [hardliner, py_floor]\nrounds: 10\n")
        from_file = parley.tournament(config)
        assert set(from_file["strategy_1"]) == {"hardliner", "py_floor"}
    finally:
        parley.unregister("py_floor")


def test_a_failing_python_strategy_stops_the_tournament():
    class Broken(parley.Strategy):
        def act(self, view, request):
            raise RuntimeError("broken strategy")

    with pytest.raises(RuntimeError, match="broken strategy"):
        parley.tournament({"scenarios": [ORCHARD], "strategies": ["boulware", Broken()],
                           "rounds": 10, "repetitions": 50}, threads=2)


def test_config_errors_name_the_place(tmp_path):
    with pytest.raises(parley.InvalidInputError, match="bouwlare"):
        parley.tournament({"scenarios": [ORCHARD], "strategies": ["bouwlare"]})
    with pytest.raises(parley.InvalidInputError) as error:
        parley.tournament({"scenarios": [ORCHARD], "strategies": ["boulware"], "roundz": 3})
    assert error.value.file == "<config>"
    with pytest.raises(parley.InvalidInputError, match="loaded from text"):
        parley.tournament({"scenarios": [parley.load(open(ORCHARD).read())], "strategies": ["boulware"]})
    with pytest.raises(parley.NotFoundError):
        parley.tournament(tmp_path / "missing.yaml")
