"""The one input module: ids, dates, flags, text, unknown fields and JSON bodies."""

from datetime import date

import pytest

from app import input as parse
from app.errors import Invalid


@pytest.mark.parametrize(
    "raw",
    ["20261120", "2026-W47-5", "2026-11-20T00:00", "2026-1-5", "\u0662\u0660\u0662\u0666-11-20"],
)
def test_dates_are_only_yyyy_mm_dd(raw):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse.parse_date(raw)


def test_a_real_date_and_its_bounds():
    assert parse.parse_date(" 2026-11-20 ") == date(2026, 11, 20)
    with pytest.raises(ValueError, match="calendar"):
        parse.parse_date("2026-02-30")
    with pytest.raises(ValueError, match="between"):
        parse.parse_date("1066-10-14")


@pytest.mark.parametrize("raw", ["1_000", "٣", "1e3", "1.0", True, None, [], "0", str(2**63)])
def test_ids_are_ascii_whole_numbers_in_range(raw):
    with pytest.raises(ValueError):
        parse.parse_id(raw)


def test_a_selection_of_ids_is_one_or_a_list_sorted_without_repeats():
    assert parse.parse_ids("7", 3, "expense") == [7]
    assert parse.parse_ids([5, "2", 5], 3, "expense") == [2, 5]
    for raw, noun, message in [
        ([], "expense", "Select at least one expense."),
        ([1, 2, 3, 4], "expense", "Select at most 3 expenses at a time."),
        ([1, "x"], "transaction", "Transaction ids are whole numbers."),
    ]:
        with pytest.raises(ValueError) as refused:
            parse.parse_ids(raw, 3, noun)
        assert str(refused.value) == message
    with pytest.raises(ValueError) as refused:
        parse.parse_ids(None, 3, "expense", empty="Pick one.")
    assert str(refused.value) == "Pick one."


def test_a_body_is_merged_over_the_current_fields_and_unknown_ones_are_named():
    data, errors = parse.body_fields({"b": 2, "z": 0}, "rule", ("a", "b"), {"a": 1, "b": 1})
    assert data == {"a": 1, "b": 2, "z": 0}
    assert errors == {"z": "Unknown field."}
    with pytest.raises(Invalid) as refused:
        parse.body_fields([1], "rule", ("a",))
    assert refused.value.errors == {"body": "Send a JSON object with the rule's fields."}


def test_flags():
    assert parse.parse_flag("on") and parse.parse_flag(" TRUE ") and parse.parse_flag(True)
    assert not parse.parse_flag("") and not parse.parse_flag(None) and not parse.parse_flag("no")
    for bad in ([], {}, "maybe", 1):
        with pytest.raises(ValueError):
            parse.parse_flag(bad)


@pytest.mark.parametrize("raw", ["a\x00b", "\ud800", "x\udfffy"])
def test_text_that_cannot_be_stored_is_refused(raw):
    assert parse.text_problem(raw)
    with pytest.raises(ValueError, match="not allowed"):
        parse.parse_text(raw, 100, "name")


def test_unknown_fields_ignore_what_a_browser_adds():
    found = parse.unknown_fields({"amount": 1, "csrf_token": "t", "submit": "", "x": 2}, ["amount"])
    assert found == {"x": "Unknown field."}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("[" * 100_000 + "]" * 100_000, "body"),  # deeper than the C parser's recursion limit
        ("[" * 40 + "]" * 40, "body"),
        ('{"description": "\\ud800"}', "description"),
        ('{"amount": 1e400}', "amount"),
        ('{"amount": NaN}', "body"),
        ('{"amount": 1' + "0" * 40 + "}", "amount"),
        ('{"ids": [1, 2, ' + "9" * 5000 + "]}", "body"),
        ('{"a\\u0000": 1}', "body"),
        ("{nope", "body"),
    ],
)
def test_json_no_route_can_use_is_refused_by_field(body, field):
    with pytest.raises(parse.BadJson) as refused:
        parse.load_json(body)
    assert refused.value.field == field


def test_ordinary_json_passes():
    assert parse.load_json('{"amount": "12.50", "tags": ["a"], "n": 1e-20000}')["n"] == 0.0
