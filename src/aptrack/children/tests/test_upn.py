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
