import pytest

from aptrack.children import upn

KNOWN = frozenset({"801", "838", "204", "207"})


def test_domain_example_is_valid():
    parsed = upn.parse("B801200005001", KNOWN)
    assert parsed.la_code == "801"
    assert not parsed.is_temporary


def test_check_letter_of_arbors_example_is_p_not_q():
    assert upn.check_letter("?207000016049") == "P"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("B80120000500", upn.UPN_TOO_SHORT),
        ("I801200005001", upn.UPN_BAD_FIRST),
        ("B8012000X5001", upn.UPN_BAD_DIGITS),
        ("C801200005001", upn.UPN_BAD_CHECK.format(upn="C801200005001", expected="B")),
    ],
)
def test_invalid_upns_are_refused_with_a_reason(value, message):
    with pytest.raises(upn.InvalidUPN) as error:
        upn.parse(value, KNOWN)
    assert str(error.value) == message


def test_unknown_la_code_is_refused():
    value = upn.make("999", "1234", "20", "123")
    with pytest.raises(upn.InvalidUPN, match="999"):
        upn.parse(value, KNOWN)


def test_former_la_code_still_accepted():
    # Cumbria (909) no longer exists but issued UPNs children still carry.
    assert upn.parse(upn.make("909", "1234", "20", "123"), KNOWN).la_code == "909"


def test_temporary_upn_is_accepted_and_flagged():
    value = upn.make("838", "4000", "24", "001", temporary_letter="A")
    assert value.endswith("A")
    parsed = upn.parse(value, KNOWN)
    assert parsed.is_temporary


def test_lowercase_and_spaces_are_normalised():
    assert upn.parse(" b801 2000 05001 ", KNOWN).upn == "B801200005001"


VALID = upn.make("801", "2000", "01", "001")  # H801200001001


@pytest.mark.parametrize(
    ("typed", "character"),
    [
        (VALID[:-1] + "\uff11", "\uff11"),  # full-width digit one
        (VALID[:-1] + "\u00b9", "\u00b9"),  # superscript one: isdigit() but int() fails
        (VALID[:-1] + "\u0661", "\u0661"),  # Arabic-Indic digit one
        (VALID[:5] + "\uff10" + VALID[6:], "\uff10"),  # full-width zero inside
        ("\uff28" + VALID[1:], "\uff28"),  # full-width letter H
    ],
    ids=[
        "full-width-last",
        "superscript-last",
        "arabic-indic-last",
        "full-width-middle",
        "full-width-letter",
    ],
)
def test_non_ascii_digits_and_letters_are_refused_with_their_position(typed, character):
    with pytest.raises(upn.InvalidUPN) as error:
        upn.parse(typed, KNOWN)
    position = typed.index(character) + 1
    assert str(error.value) == upn.UPN_NOT_ASCII.format(
        position=position, character=f"“{character}”"
    )


def test_the_issue_examples_are_refused_not_crashed():
    for typed in ("H8012000010\uff101", "H80120000100\u00b2"):
        with pytest.raises(upn.InvalidUPN, match="letters A to Z and the numbers 0 to 9 only"):
            upn.parse(typed)


def test_ascii_upn_with_trimming_and_lower_case_is_still_accepted():
    assert upn.parse(f"  {VALID.lower()}\t", KNOWN).upn == VALID


@pytest.mark.parametrize(
    "code", ["660", "672", "681"], ids=["first-welsh", "cardiff", "last-welsh"]
)
def test_welsh_la_codes_are_accepted(code):
    assert upn.parse(upn.make(code, "1234", "20", "123"), KNOWN).la_code == code


@pytest.mark.parametrize("code", ["659", "682"])
def test_codes_just_outside_the_welsh_range_are_refused(code):
    with pytest.raises(upn.InvalidUPN, match=code):
        upn.parse(upn.make(code, "1234", "20", "123"), KNOWN)


@pytest.mark.parametrize("code", ["001", "005", "701", "708"])
def test_dfe_pseudo_la_codes_are_accepted(code):
    assert upn.parse(upn.make(code, "1234", "20", "123"), KNOWN).la_code == code


@pytest.mark.parametrize("code", ["000", "006", "700", "709"])
def test_codes_next_to_the_pseudo_la_ranges_are_refused(code):
    with pytest.raises(upn.InvalidUPN, match=code):
        upn.parse(upn.make(code, "1234", "20", "123"), KNOWN)


@pytest.mark.parametrize("code", ["909", "928", "835", "836", "837", "940", "941", "201", "896"])
def test_current_and_former_english_codes_in_census_validation_are_accepted(code):
    assert upn.parse(upn.make(code, "1234", "20", "123"), frozenset()).la_code == code
