"""Invented but plausible English names for towns, schools and providers.

Everything here draws from the `random.Random` it is given, so a seed gives the same names.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from faker import Faker

_ROOTS = (
    "Ash",
    "Oak",
    "Elm",
    "Birch",
    "Brook",
    "Mill",
    "Stan",
    "Hart",
    "Thorn",
    "Bram",
    "Cran",
    "King",
    "Church",
    "Market",
    "Long",
    "Wester",
    "Easter",
    "Hol",
    "Sand",
    "Stone",
    "Marsh",
    "Fern",
    "Heath",
    "Red",
    "Whit",
    "Bur",
    "Lang",
    "Brad",
    "Chal",
    "Har",
    "Wel",
    "Ald",
    "Dun",
    "Shel",
    "Hazel",
    "Rowan",
    "Willow",
    "Holly",
    "Cold",
    "Middle",
    "Nether",
    "Swan",
    "Fox",
    "Hawk",
    "Bark",
    "Chel",
    "Lynd",
    "Amble",
    "Cald",
    "Pen",
    "Tal",
    "Mor",
    "Wyn",
    "Ever",
)
_SUFFIXES = (
    "ton",
    "ford",
    "ham",
    "bury",
    "field",
    "ley",
    "worth",
    "wood",
    "combe",
    "minster",
    "stead",
    "well",
    "bridge",
    "dale",
    "hurst",
    "den",
    "by",
    "thorpe",
    "wick",
    "mere",
    "cote",
    "borough",
    "ridge",
    "gate",
)
_PREFIXES = ("Upper", "Lower", "Great", "Little", "East", "West", "North", "South", "Old")
_SAINTS = (
    "Mary",
    "Joseph",
    "Peter",
    "Paul",
    "Thomas",
    "Anne",
    "Bernadette",
    "Francis",
    "Michael",
    "Edmund",
    "John",
    "Patrick",
    "Teresa",
    "Augustine",
    "Wilfrid",
    "Cuthbert",
    "Aidan",
    "Bede",
    "Alban",
    "Gregory",
    "Catherine",
    "Margaret",
    "Benedict",
    "Hilda",
)
_TREES = ("Oak", "Willow", "Rowan", "Hawthorn", "Cedar", "Beech", "Maple", "Alder", "Hazel")


def place_name(rng: random.Random) -> str:
    """An English-sounding town or village that need not exist ("Ashworth", "Little Fernley")."""
    stem = rng.choice(_ROOTS) + rng.choice(_SUFFIXES)
    if rng.random() < 0.12:
        return f"{rng.choice(_PREFIXES)} {stem}"
    return stem


@dataclass(frozen=True)
class SchoolType:
    code: str
    name: str
    weight: int
    templates: tuple[str, ...]


# GIAS TypeOfEstablishment codes and names, with name patterns that suit each type.
SECONDARY_TYPES = (
    SchoolType("28", "Academy sponsor led", 30, ("{place} Academy", "The {place} Academy")),
    SchoolType(
        "34",
        "Academy converter",
        35,
        (
            "{place} Academy",
            "{place} School",
            "{place} College",
        ),
    ),
    SchoolType("1", "Community school", 10, ("{place} High School", "{place} Community College")),
    SchoolType("5", "Foundation school", 8, ("{place} School", "{place} Upper School")),
    SchoolType("2", "Voluntary aided school", 7, ("St {saint}'s Catholic High School",)),
    SchoolType("35", "Free schools", 5, ("{place} Free School",)),
)
PRIMARY_TYPES = (
    SchoolType(
        "1",
        "Community school",
        35,
        (
            "{place} Primary School",
            "{place} Community Primary School",
        ),
    ),
    SchoolType(
        "34",
        "Academy converter",
        25,
        (
            "{place} Primary Academy",
            "{place} Primary School",
        ),
    ),
    SchoolType("28", "Academy sponsor led", 10, ("{place} Primary Academy",)),
    SchoolType(
        "3", "Voluntary controlled school", 15, ("{place} Church of England Primary School",)
    ),
    SchoolType("2", "Voluntary aided school", 15, ("St {saint}'s Catholic Primary School",)),
)
PRU_TYPE = SchoolType(
    "14",
    "Pupil referral unit",
    1,
    (
        "{place} Learning Centre",
        "{place} Pupil Referral Unit",
        "{place} Education Centre",
    ),
)


def school_type(rng: random.Random, *, secondary: bool) -> SchoolType:
    types = SECONDARY_TYPES if secondary else PRIMARY_TYPES
    return rng.choices(types, weights=[t.weight for t in types])[0]


def establishment_name(rng: random.Random, kind: SchoolType, towns: list[str]) -> str:
    template = rng.choice(kind.templates)
    return template.format(place=rng.choice(towns), saint=rng.choice(_SAINTS))


@dataclass(frozen=True)
class ProviderType:
    """A kind of non-school AP provider, the weekly hours it typically offers, and name patterns.

    Non-school AP is mostly part-time: below the 18 hours a week from which a pupil counts as
    full-time for the registration threshold. The generator makes at most one provider in an LA
    full-time (services.FULL_TIME_PROVIDER_SHARE) so that the threshold alerts have something
    to find without flagging most providers."""

    key: str
    min_hours: int
    max_hours: int
    templates: tuple[str, ...]


PROVIDER_TYPES = (
    ProviderType(
        "tuition",
        4,
        12,
        (
            "{place} Tuition Centre",
            "{surname} Tuition Services",
            "{place} Home and Hospital Tuition",
        ),
    ),
    ProviderType(
        "vocational",
        9,
        16,
        (
            "{place} Vocational Skills Centre",
            "{place} Motor Vehicle Training",
            "{place} Construction Skills Hub",
            "{place} Land-Based Learning",
        ),
    ),
    ProviderType(
        "therapeutic",
        6,
        15,
        (
            "{place} Therapeutic Education",
            "{tree} House Therapeutic Learning",
            "{place} Nurture Hub",
        ),
    ),
    ProviderType(
        "outreach",
        3,
        10,
        (
            "{place} Outreach Service",
            "{place} Youth Mentoring Project",
            "{place} Inclusion Outreach",
        ),
    ),
    ProviderType("farm", 6, 15, ("{place} Care Farm", "{surname}'s Farm Learning Project")),
    ProviderType(
        "sport",
        6,
        15,
        (
            "{place} Boxing Club Education Programme",
            "{place} Sport and Education Trust",
        ),
    ),
    ProviderType(
        "arts",
        6,
        15,
        (
            "{place} Creative Arts Project",
            "{place} Music and Media Studio",
        ),
    ),
)
PRU_HOURS = (20, 25)


def provider_name(rng: random.Random, fake: Faker, kind: ProviderType, towns: list[str]) -> str:
    template = rng.choice(kind.templates)
    return template.format(
        place=rng.choice(towns), surname=fake.last_name(), tree=rng.choice(_TREES)
    )


def council_names(la_name: str) -> tuple[str, str]:
    """(council name, short name) for an LA: "Bristol, City of" becomes "Bristol City Council"."""
    special = {
        "City of London": ("City of London Corporation", "City of London"),
        "Isles of Scilly": ("Council of the Isles of Scilly", "Isles of Scilly"),
    }
    if la_name in special:
        return special[la_name]
    if la_name.endswith(", City of"):
        short = la_name.removesuffix(", City of")
        return f"{short} City Council", short
    short = la_name.removesuffix(", County of")
    return f"{short} Council", short


_STREET_TYPES = (
    "Road",
    "Street",
    "Lane",
    "Close",
    "Avenue",
    "Drive",
    "Way",
    "Gardens",
    "Crescent",
    "Grove",
    "Place",
    "Terrace",
    "Walk",
    "Court",
    "Rise",
    "Mews",
)


def street_address(rng: random.Random, fake: Faker, towns: list[str]) -> str:
    """A house number and an invented street ("42 Griffiths Close")."""
    stem = rng.choice((fake.last_name(), rng.choice(_TREES), rng.choice(towns)))
    return f"{rng.randint(1, 180)} {stem} {rng.choice(_STREET_TYPES)}"


# Postcode areas by region, so that an LA's invented postcodes at least start as its real ones
# would. The demo LAs get their own areas.
_POSTCODE_AREAS_BY_REGION = {
    "NORTH_EAST": ("NE", "SR", "DH", "DL", "TS"),
    "NORTH_WEST": (
        "M",
        "L",
        "WA",
        "WN",
        "BL",
        "OL",
        "SK",
        "PR",
        "BB",
        "FY",
        "LA",
        "CA",
        "CH",
        "CW",
    ),
    "YORKSHIRE": ("LS", "BD", "HX", "HD", "WF", "S", "DN", "HU", "YO", "HG"),
    "EAST_MIDLANDS": ("DE", "NG", "LE", "LN", "NN", "PE"),
    "WEST_MIDLANDS": ("B", "CV", "DY", "WS", "WV", "ST", "TF", "SY", "HR", "WR"),
    "EAST": ("CB", "CO", "CM", "IP", "NR", "SS", "LU", "SG", "AL"),
    "LONDON": ("E", "N", "SE", "SW", "W", "NW", "BR", "CR", "HA", "IG", "RM", "UB"),
    "SOUTH_EAST": ("BN", "CT", "ME", "TN", "GU", "RH", "PO", "SO", "RG", "OX", "SL", "HP", "MK"),
    "SOUTH_WEST": ("BS", "BA", "TA", "EX", "PL", "TQ", "TR", "SN", "GL", "SP"),
}
_POSTCODE_AREAS_BY_LA = {"838": ("DT", "BH"), "204": ("E", "N")}
_POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postcode_areas(rng: random.Random, *, la_code: str, region: str) -> tuple[str, ...]:
    if la_code in _POSTCODE_AREAS_BY_LA:
        return _POSTCODE_AREAS_BY_LA[la_code]
    areas = _POSTCODE_AREAS_BY_REGION.get(region, ("ZZ",))
    return tuple(rng.sample(areas, k=min(2, len(areas))))


def postcode(rng: random.Random, areas: tuple[str, ...]) -> str:
    """A well-formed postcode in one of `areas` (not checked against real ones)."""
    unit = "".join(rng.choices(_POSTCODE_UNIT_LETTERS, k=2))
    return f"{rng.choice(areas)}{rng.randint(1, 20)} {rng.randint(0, 9)}{unit}"


# First names given to children born in England and Wales 2006–2020 (common in ONS baby-name
# lists), so that a Year 9 pupil is not called Keith. Surnames come from Faker's en_GB list,
# except for the heritage groups below.
BOYS = (
    "Oliver",
    "Jack",
    "Harry",
    "George",
    "Noah",
    "Charlie",
    "Jacob",
    "Alfie",
    "Freddie",
    "Oscar",
    "Leo",
    "Logan",
    "Archie",
    "Theo",
    "Thomas",
    "James",
    "Joshua",
    "Henry",
    "William",
    "Max",
    "Lucas",
    "Ethan",
    "Arthur",
    "Mason",
    "Isaac",
    "Harrison",
    "Teddy",
    "Finley",
    "Daniel",
    "Riley",
    "Edward",
    "Joseph",
    "Alexander",
    "Adam",
    "Reggie",
    "Samuel",
    "Jaxon",
    "Sebastian",
    "Elijah",
    "Harley",
    "Toby",
    "Arlo",
    "Dylan",
    "Jude",
    "Benjamin",
    "Rory",
    "Tommy",
    "Jake",
    "Louie",
    "Carter",
    "Jenson",
    "Hugo",
    "Bobby",
    "Frankie",
    "Ollie",
    "Zachary",
    "David",
    "Albie",
    "Lewis",
    "Luca",
    "Ronnie",
    "Jackson",
    "Matthew",
    "Alex",
    "Harvey",
    "Reuben",
    "Jayden",
    "Caleb",
    "Kai",
    "Liam",
    "Aaron",
    "Callum",
    "Kian",
    "Tyler",
    "Connor",
    "Ryan",
    "Bradley",
    "Kyle",
    "Cameron",
    "Ellis",
    "Brandon",
    "Declan",
    "Kieran",
    "Owen",
    "Nathan",
)
GIRLS = (
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Willow",
    "Florence",
    "Emily",
    "Ella",
    "Poppy",
    "Jessica",
    "Evie",
    "Sophie",
    "Charlotte",
    "Isabelle",
    "Daisy",
    "Sienna",
    "Chloe",
    "Ruby",
    "Millie",
    "Phoebe",
    "Lola",
    "Erin",
    "Holly",
    "Ellie",
    "Scarlett",
    "Matilda",
    "Elsie",
    "Harper",
    "Layla",
    "Aria",
    "Evelyn",
    "Maisie",
    "Esme",
    "Megan",
    "Lucy",
    "Amber",
    "Lexi",
    "Summer",
    "Hannah",
    "Eva",
    "Imogen",
    "Niamh",
    "Keira",
    "Leah",
    "Courtney",
    "Jade",
    "Bethany",
    "Caitlin",
    "Shannon",
    "Tia",
    "Kayla",
    "Paige",
    "Abigail",
    "Madison",
    "Lacey",
    "Brooke",
)
_HERITAGE_NAMES = {
    # South Asian heritage
    ("AIND", "APKN", "ABAN", "AOTH"): (
        (
            "Mohammed",
            "Muhammad",
            "Ibrahim",
            "Yusuf",
            "Ayaan",
            "Zain",
            "Hamza",
            "Arjun",
            "Rayan",
            "Aryan",
            "Ismail",
            "Rehan",
        ),
        (
            "Maryam",
            "Aisha",
            "Fatima",
            "Zara",
            "Amira",
            "Ayesha",
            "Inaya",
            "Hafsa",
            "Anaya",
            "Priya",
            "Sana",
            "Noor",
        ),
        (
            "Khan",
            "Ahmed",
            "Hussain",
            "Begum",
            "Ali",
            "Patel",
            "Singh",
            "Islam",
            "Rahman",
            "Uddin",
            "Akhtar",
            "Kaur",
        ),
    ),
    # Black African heritage
    ("BAFR",): (
        (
            "Kofi",
            "Samuel",
            "David",
            "Emmanuel",
            "Daniel",
            "Joshua",
            "Tobi",
            "Abdi",
            "Kwame",
            "Ayo",
            "Mohamed",
            "Femi",
        ),
        (
            "Precious",
            "Favour",
            "Blessing",
            "Grace",
            "Esther",
            "Hodan",
            "Amara",
            "Chloe",
            "Adaeze",
            "Deborah",
            "Zainab",
            "Ruth",
        ),
        (
            "Okafor",
            "Mensah",
            "Adeyemi",
            "Osei",
            "Mohamed",
            "Abdi",
            "Okoye",
            "Boateng",
            "Owusu",
            "Ibrahim",
            "Adebayo",
            "Hassan",
        ),
    ),
}
_SHORT_FORMS = {
    "Alexander": "Alex",
    "Thomas": "Tom",
    "Joshua": "Josh",
    "Matthew": "Matt",
    "Benjamin": "Ben",
    "Samuel": "Sam",
    "Daniel": "Danny",
    "William": "Will",
    "Oliver": "Ollie",
    "Zachary": "Zac",
    "Nathan": "Nate",
    "Jessica": "Jess",
    "Isabella": "Bella",
    "Abigail": "Abbie",
    "Charlotte": "Lottie",
    "Madison": "Maddie",
    "Elizabeth": "Beth",
    "Florence": "Flo",
    "Mohammed": "Mo",
    "Muhammad": "Mo",
    "Theodore": "Theo",
    "Frederick": "Freddie",
}


@dataclass(frozen=True)
class ChildName:
    first: str
    last: str
    preferred: str


def child_name(rng: random.Random, fake: Faker, *, sex: str, ethnicity: str) -> ChildName:
    """A first name from the child's generation, a surname, and sometimes a preferred name."""
    boys: Sequence[str] = BOYS
    girls: Sequence[str] = GIRLS
    surnames: Sequence[str] | None = None
    for codes, names in _HERITAGE_NAMES.items():
        if ethnicity in codes and rng.random() < 0.8:
            boys, girls, surnames = names
    pool = boys if sex == "M" else girls if sex == "F" else rng.choice((boys, girls))
    first = rng.choice(pool)
    last = rng.choice(surnames) if surnames else fake.last_name()
    preferred = ""
    if first in _SHORT_FORMS and rng.random() < 0.4:
        preferred = _SHORT_FORMS[first]
    elif rng.random() < 0.02:
        preferred = rng.choice(pool)
    return ChildName(first=first, last=last, preferred=preferred if preferred != first else "")
