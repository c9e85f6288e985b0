"""Unique Pupil Numbers: the DfE check-letter algorithm (domain.md §6).

A UPN is 13 characters: check letter, LA code (3 digits), establishment number (4), year of
issue (2) and serial (3). A temporary UPN ends in a letter instead of the last digit.
"""

from dataclasses import dataclass

# A–Z without I, O and S: 23 letters for the values 0–22.
CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"

# LA codes that no longer belong to a live LA but still begin UPNs issued before a
# reorganisation (Cumbria 2023, Northamptonshire 2021, Dorset/Bournemouth/Poole 2019).
FORMER_LA_CODES = frozenset({"909", "928", "835", "836", "837"})


def _codes(*spans: int | tuple[int, int]) -> frozenset[str]:
    found: set[str] = set()
    for span in spans:
        low, high = span if isinstance(span, tuple) else (span, span)
        found.update(f"{code:03d}" for code in range(low, high + 1))
    return frozenset(found)


# The LA parts DfE's census validation accepts in a UPN (children in need census rule 1530:
# "a valid post April 1998 LA code or a recognised 'pseudo LA' code"): English LA codes, current
# and former, DfE's pseudo-LA codes (001-005, 701-708) and the Welsh LA codes (660-681), so a
# child from Wales, or with a UPN issued under a pseudo-LA, can be recorded.
PSEUDO_LA_CODES = _codes((1, 5), (701, 708))
WELSH_LA_CODES = _codes((660, 681))
CENSUS_LA_CODES = (
    _codes(
        (201, 213),
        (301, 320),
        (330, 336),
        (340, 344),
        (350, 359),
        (370, 373),
        (380, 384),
        (390, 394),
        420,
        (800, 803),
        (805, 808),
        (810, 813),
        815,
        816,
        (820, 823),
        825,
        826,
        830,
        831,
        (835, 841),
        845,
        846,
        (850, 852),
        (855, 857),
        860,
        861,
        (865, 896),
        908,
        909,
        916,
        919,
        921,
        925,
        926,
        928,
        929,
        931,
        933,
        (935, 938),
        940,
        941,
    )
    | PSEUDO_LA_CODES
    | WELSH_LA_CODES
    | FORMER_LA_CODES
)

UPN_NOT_ASCII = (
    "A UPN is made of the letters A to Z and the numbers 0 to 9 only: "
    "character {position} ({character}) is not one of them"
)
UPN_TOO_SHORT = "UPN must be 13 characters"
UPN_BAD_FIRST = "UPN must start with a check letter (A to Z, not I, O or S)"
UPN_BAD_DIGITS = "Characters 2 to 12 of a UPN must be numbers"
UPN_BAD_LAST = "The last character of a UPN must be a number, or a letter for a temporary UPN"
UPN_BAD_CHECK = "UPN check letter is wrong: {upn} should start with {expected}"
UPN_UNKNOWN_LA = "UPN characters 2 to 4 ({code}) are not a known local authority code"


class InvalidUPN(ValueError):
    pass


@dataclass(frozen=True)
class ParsedUPN:
    upn: str
    la_code: str
    is_temporary: bool


ASCII_DIGITS = frozenset("0123456789")
ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def _is_digit(char: str) -> bool:
    """An ASCII digit: `str.isdigit` also takes full-width, superscript and Arabic-Indic ones."""
    return char in ASCII_DIGITS


def check_letter(upn: str) -> str:
    """The check letter for characters 2–13 of a UPN (a temporary UPN's last letter counts as
    its position in the check alphabet)."""
    total = 0
    for weight, char in enumerate(upn[1:13], start=2):
        value = int(char) if _is_digit(char) else CHECK_ALPHABET.index(char)
        total += weight * value
    return CHECK_ALPHABET[total % 23]


def parse(value: str, known_la_codes: frozenset[str] | set[str] | None = None) -> ParsedUPN:
    """Validate a UPN and say whether it is temporary. Raises InvalidUPN with a user message."""
    compact = "".join(value.split())
    for position, char in enumerate(compact, start=1):
        if not (char.isascii() and (char in ASCII_DIGITS or char.upper() in ASCII_LETTERS)):
            raise InvalidUPN(UPN_NOT_ASCII.format(position=position, character=f"“{char}”"))
    upn = compact.upper()
    if len(upn) != 13:
        raise InvalidUPN(UPN_TOO_SHORT)
    if upn[0] not in CHECK_ALPHABET:
        raise InvalidUPN(UPN_BAD_FIRST)
    if not all(_is_digit(char) for char in upn[1:12]):
        raise InvalidUPN(UPN_BAD_DIGITS)
    last = upn[12]
    if not (_is_digit(last) or last in CHECK_ALPHABET):
        raise InvalidUPN(UPN_BAD_LAST)
    expected = check_letter(upn)
    if upn[0] != expected:
        raise InvalidUPN(UPN_BAD_CHECK.format(upn=upn, expected=expected))
    la_code = upn[1:4]
    if known_la_codes is not None and la_code not in known_la_codes | CENSUS_LA_CODES:
        raise InvalidUPN(UPN_UNKNOWN_LA.format(code=la_code))
    return ParsedUPN(upn=upn, la_code=la_code, is_temporary=not _is_digit(last))


def make(
    la_code: str, establishment: str, year: str, serial: str, temporary_letter: str = ""
) -> str:
    """Build a valid UPN from its parts (synthetic data and tests)."""
    body = f"{la_code}{establishment}{year}{serial}"
    if temporary_letter:
        body = body[:-1] + temporary_letter
    return check_letter("?" + body) + body
