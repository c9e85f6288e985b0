"""How many synthetic children each LA gets: the national total shared out by rough LA size.

Sizes are approximate resident populations in thousands (mid-2020s, rounded). They only need to
be rough: the point is that Kent or Birmingham get several times Rutland's caseload, so that
national-scale pages, queries and reports meet realistic skew.
"""

# domain.md §7: about 48,000 LA-funded AP placements and 16,000 pupils in state-funded AP schools.
NATIONAL_CHILDREN = 64_000

# Used for an LA code not in the table below (a future reorganisation).
DEFAULT_POPULATION_THOUSANDS = 300

POPULATION_THOUSANDS: dict[str, int] = {
    # London
    "201": 9, "202": 210, "203": 290, "204": 260, "205": 185, "206": 215, "207": 145,
    "208": 320, "209": 300, "210": 310, "211": 320, "212": 330, "213": 205, "301": 220,
    "302": 390, "303": 250, "304": 340, "305": 330, "306": 390, "307": 370, "308": 330,
    "309": 265, "310": 260, "311": 265, "312": 310, "313": 290, "314": 170, "315": 215,
    "316": 350, "317": 310, "318": 195, "319": 210, "320": 280,
    # West Midlands metropolitan
    "330": 1150, "331": 345, "332": 325, "333": 345, "334": 215, "335": 285, "336": 265,
    # North West metropolitan
    "340": 155, "341": 490, "342": 185, "343": 280, "344": 320, "350": 300, "351": 195,
    "352": 570, "353": 245, "354": 225, "355": 275, "356": 295, "357": 230, "358": 235,
    "359": 330,
    # Yorkshire and the North East metropolitan
    "370": 245, "371": 310, "372": 265, "373": 555, "380": 550, "381": 205, "382": 435,
    "383": 810, "384": 355, "390": 195, "391": 300, "392": 210, "393": 148, "394": 275,
    # Unitary authorities and counties
    "420": 2, "800": 195, "801": 470, "802": 215, "803": 290, "805": 92, "806": 145,
    "807": 137, "808": 198, "810": 270, "811": 345, "812": 157, "813": 170, "815": 615,
    "816": 200, "821": 225, "822": 185, "823": 295, "825": 555, "826": 290, "830": 800,
    "831": 260, "838": 380, "839": 400, "840": 525, "841": 108, "845": 550, "846": 280,
    "850": 1400, "851": 210, "852": 250, "855": 715, "856": 370, "857": 41, "860": 885,
    "861": 260, "865": 515, "866": 235, "867": 125, "868": 155, "869": 160, "870": 175,
    "871": 160, "872": 180, "873": 680, "874": 220, "876": 130, "877": 210, "878": 820,
    "879": 265, "880": 140, "881": 1510, "882": 180, "883": 175, "884": 190, "885": 605,
    "886": 1590, "887": 285, "888": 1240, "889": 155, "890": 141, "891": 830, "892": 325,
    "893": 325, "894": 187, "895": 400, "896": 360, "908": 575, "916": 650, "919": 1200,
    "921": 140, "925": 770, "926": 920, "929": 325, "931": 730, "933": 575, "935": 765,
    "936": 1200, "937": 600, "938": 890, "940": 360, "941": 425, "942": 275, "943": 225,
}


def share_by_size(codes: list[str], total: int) -> dict[str, int]:
    """Split `total` children across `codes` in proportion to population (largest remainder, so
    the parts add up to exactly `total`); every LA gets at least one child."""
    weights = {code: POPULATION_THOUSANDS.get(code, DEFAULT_POPULATION_THOUSANDS) for code in codes}
    whole = sum(weights.values())
    exact = {code: total * weight / whole for code, weight in weights.items()}
    shares = {code: int(value) for code, value in exact.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(codes, key=lambda code: (shares[code] - exact[code], code))
    for code in by_remainder[:left]:
        shares[code] += 1
    return {code: max(1, count) for code, count in shares.items()}
