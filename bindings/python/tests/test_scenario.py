"""parley.load, Scenario, outcomes and utilities, checked against hand computation and brute
force."""

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import parley
from conftest import HERE, REPO

ORCHARD_WEIGHTS = {
    "buyer": ({"price": 2, "delivery": 1, "crates": 1}, {"delivery": [1, 0.6, 0], "crates": [0.3, 1]}),
    "seller": ({"price": 1, "delivery": 1, "crates": 2}, {"delivery": [0, 0.5, 1], "crates": [1, 0.2]}),
}


def hand_utility(party, outcome):
    """Orchard's utilities written out from the YAML."""
    weights, tables = ORCHARD_WEIGHTS[party]
    total = sum(weights.values())
    price, delivery, crates = outcome
    price_value = 1 - price / 10 if party == "buyer" else price / 10
    return (
        weights["price"] * price_value
        + weights["delivery"] * tables["delivery"][delivery]
        + weights["crates"] * tables["crates"][crates]
    ) / total


def test_load_reads_files_paths_and_text(orchard):
    assert orchard.name == "orchard"
    assert orchard.source_format == "parley"
    assert [issue.id for issue in orchard.issues] == ["price", "delivery", "crates"]
    assert [issue.kind for issue in orchard.issues] == ["integer", "discrete", "discrete"]
    assert orchard.issues[0].options == list(range(11))
    assert orchard.issues[1].options == ["fast", "normal", "slow"]
    assert orchard.shape == (11, 3, 2)
    assert orchard.outcome_count == 66
    assert orchard.principals == ["buyer", "seller"]
    assert [party.reservation_value for party in orchard.parties] == [0.2, 0.1]
    text = (HERE / "data" / "orchard.yaml").read_text()
    from_text = parley.load(text)
    from_str_path = parley.load(str(HERE / "data" / "orchard.yaml"))
    from_json = parley.load(from_text.to_json())
    for other in (from_text, from_str_path, from_json):
        for outcome in orchard.outcomes():
            assert other.utility("buyer", outcome) == orchard.utility("buyer", outcome)


def test_utility_matches_the_file_by_hand(orchard):
    for outcome in orchard.outcomes():
        for party in ("buyer", "seller"):
            assert orchard.utility(party, outcome) == pytest.approx(hand_utility(party, outcome), abs=1e-12)


def test_outcomes_in_every_form(orchard):
    by_index = orchard.utility("seller", (7, 2, 0))
    assert orchard.utility("seller", {"price": 7, "delivery": "slow", "crates": "ten"}) == by_index
    assert orchard.utility("seller", "price=7, delivery=slow, crates=ten") == by_index
    assert orchard.utility(1, np.array([7, 2, 0])) == by_index
    assert orchard.outcome({"price": 7, "delivery": "slow", "crates": "ten"}) == (7, 2, 0)
    assert orchard.describe((7, 2, 0)) == {"price": 7, "delivery": "slow", "crates": "ten"}
    assert orchard.format((7, 2, 0)) == "price=7, delivery=slow, crates=ten"


def test_outcomes_iterate_in_index_order(orchard):
    expected = list(itertools.product(range(11), range(3), range(2)))
    assert list(orchard.outcomes()) == expected
    assert orchard.outcome_array().tolist() == [list(outcome) for outcome in expected]
    assert orchard.outcome_array().dtype == np.int64


def test_utilities_vectorised_equal_one_by_one(riverside):
    outcomes = riverside.outcome_array()
    table = riverside.utilities(outcomes)
    assert table.shape == (len(outcomes), len(riverside.scored_parties))
    rng = np.random.default_rng(3)
    for row in rng.choice(len(outcomes), 200, replace=False):
        for column, party in enumerate(riverside.scored_parties):
            assert table[row, column] == riverside.utility(party, tuple(outcomes[row]))
    one = riverside.utilities(outcomes[:10], riverside.scored_parties[0])
    assert one.shape == (10,)
    assert (one == table[:10, 0]).all()
    two = riverside.utilities(outcomes[:5].astype(np.uint8), riverside.scored_parties[::-1])
    assert (two == table[:5, ::-1]).all()
    assert riverside.utilities(np.zeros((0, len(riverside.issues)), dtype=int)).shape == (0, len(riverside.scored_parties))


def test_utility_range_is_the_extreme_of_every_outcome(riverside):
    outcomes = riverside.outcome_array()
    for party in riverside.scored_parties:
        values = riverside.utilities(outcomes, party)
        extent = riverside.utility_range(party)
        assert extent["exact"]
        assert extent["min"] == pytest.approx(values.min(), abs=1e-12)
        assert extent["max"] == pytest.approx(values.max(), abs=1e-12)
        assert riverside.utility(party, extent["argmax"]) == pytest.approx(values.max(), abs=1e-12)


def test_huge_spaces_count_exactly_and_refuse_to_enumerate():
    issues = "\n".join(f"  - {{id: i{k}, type: integer, range: [0, 9]}}" for k in range(30))
    weights = ", ".join(f"i{k}: 1" for k in range(30))
    values = "\n".join(f"        i{k}: {{type: linear, at_lower: 0, at_upper: 1}}" for k in range(30))
    text = f"""parley: 1
name: huge
issues:
{issues}
parties:
  - id: a
    preferences:
      weights: {{{weights}}}
      values:
{values}
"""
    huge = parley.load(text)
    assert huge.outcome_count == 10**30
    assert not huge.is_enumerable()
    with pytest.raises(parley.UnsupportedError, match="limit"):
        huge.outcomes()
    with pytest.raises(parley.UnsupportedError):
        huge.outcome_array()
    assert huge.utility("a", [9] * 30) == pytest.approx(1.0)
    assert huge.utility_range("a")["max"] == pytest.approx(1.0)


def test_errors_carry_file_line_column_and_field(tmp_path):
    with pytest.raises(parley.NotFoundError) as missing:
        parley.load(tmp_path / "nothing.yaml")
    assert missing.value.file.endswith("nothing.yaml")
    assert isinstance(missing.value, LookupError)
    broken = tmp_path / "broken.yaml"
    broken.write_text("parley: 1\nissues:\n  - id: a\n    options: [x, y]\nparties:\n  - id: p\n    preferences:\n      weights: {b: 1}\n")
    with pytest.raises(parley.InvalidInputError) as invalid:
        parley.load(broken)
    error = invalid.value
    assert isinstance(error, ValueError) and isinstance(error, parley.ParleyError)
    assert error.code == "invalid input"
    assert error.file == str(broken)
    assert error.line == 8
    assert error.column > 0
    assert "weights" in error.field
    assert str(error).startswith(f"{broken}:8:")
    with pytest.raises(parley.InvalidInputError) as text_error:
        parley.load("parley: 1\nissues: []\n")
    assert text_error.value.file == "<text>"


def test_bad_arguments_raise_clear_errors(orchard):
    with pytest.raises(parley.InvalidInputError, match="one option index per issue"):
        orchard.utility("buyer", (1, 2))
    with pytest.raises(parley.InvalidInputError, match=r"out of range for issue 'delivery' \(0..2\)") as error:
        orchard.utility("buyer", (1, 3, 0))
    assert error.value.field == "outcome[1]"
    with pytest.raises(parley.InvalidInputError, match="must be an int"):
        orchard.utility("buyer", (1, True, 0))
    with pytest.raises(parley.NotFoundError, match="unknown party 'nobody'"):
        orchard.utility("nobody", (0, 0, 0))
    with pytest.raises(parley.InvalidInputError, match="has no option"):
        orchard.utility("buyer", {"price": 3, "delivery": "never", "crates": "ten"})
    with pytest.raises(parley.InvalidInputError, match="is missing"):
        orchard.utility("buyer", {"price": 3})
    with pytest.raises(parley.InvalidInputError, match="integer option indices"):
        orchard.utilities(np.zeros((2, 3)))
    with pytest.raises(parley.InvalidInputError, match=r"shape \(2, 2\)"):
        orchard.utilities(np.zeros((2, 2), dtype=int))
    with pytest.raises(parley.InvalidInputError) as bad_row:
        orchard.utilities([[0, 0, 0], [0, 0, 5]])
    assert bad_row.value.field == "outcomes[1][2]"
    with pytest.raises(parley.InvalidInputError, match="path"):
        parley.load(42)


def test_written_scenarios_read_back_the_same(orchard, tmp_path):
    path = tmp_path / "orchard-copy.json"
    orchard.save(path)
    again = parley.load(path)
    yaml_again = parley.load(orchard.to_yaml())
    for outcome in orchard.outcomes():
        for party in orchard.principals:
            assert again.utility(party, outcome) == orchard.utility(party, outcome)
            assert yaml_again.utility(party, outcome) == orchard.utility(party, outcome)
    assert json.loads(orchard.to_json())["name"] == "orchard"


def test_parties_and_red_lines(ceasefire):
    roles = {party.id: party.role for party in ceasefire.parties}
    assert "mediator" in roles.values()
    with_red_lines = [party for party in ceasefire.parties if party.red_lines]
    assert with_red_lines, "the ceasefire example states red lines"
    party = with_red_lines[0]
    outcomes = ceasefire.outcome_array()
    allowed = [ceasefire.allowed(party.id, tuple(outcome)) for outcome in outcomes[::997]]
    assert any(allowed) and not all(allowed)
    assert repr(ceasefire).startswith("<parley.Scenario 'ceasefire'")
