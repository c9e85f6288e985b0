"""The standard English pattern (six half-terms a year and the England and Wales bank holidays)
as the engine's tests build a calendar from it, without a database. The database's copy is
loaded by migration `calendars.0002_standard_pattern` from its own data files (ADR 0009)."""

import datetime as dt

D = dt.date

HALF_TERMS: dict[int, list[tuple[str, dt.date, dt.date]]] = {
    2024: [
        ("Autumn 1", D(2024, 9, 4), D(2024, 10, 25)),
        ("Autumn 2", D(2024, 11, 4), D(2024, 12, 20)),
        ("Spring 1", D(2025, 1, 6), D(2025, 2, 14)),
        ("Spring 2", D(2025, 2, 24), D(2025, 4, 4)),
        ("Summer 1", D(2025, 4, 22), D(2025, 5, 23)),
        ("Summer 2", D(2025, 6, 2), D(2025, 7, 22)),
    ],
    2025: [
        ("Autumn 1", D(2025, 9, 3), D(2025, 10, 24)),
        ("Autumn 2", D(2025, 11, 3), D(2025, 12, 19)),
        ("Spring 1", D(2026, 1, 5), D(2026, 2, 13)),
        ("Spring 2", D(2026, 2, 23), D(2026, 3, 27)),
        ("Summer 1", D(2026, 4, 13), D(2026, 5, 22)),
        ("Summer 2", D(2026, 6, 1), D(2026, 7, 21)),
    ],
    2026: [
        ("Autumn 1", D(2026, 9, 2), D(2026, 10, 23)),
        ("Autumn 2", D(2026, 11, 2), D(2026, 12, 18)),
        ("Spring 1", D(2027, 1, 4), D(2027, 2, 12)),
        ("Spring 2", D(2027, 2, 22), D(2027, 3, 25)),
        ("Summer 1", D(2027, 4, 12), D(2027, 5, 28)),
        ("Summer 2", D(2027, 6, 7), D(2027, 7, 21)),
    ],
    2027: [
        ("Autumn 1", D(2027, 9, 1), D(2027, 10, 22)),
        ("Autumn 2", D(2027, 11, 1), D(2027, 12, 17)),
        ("Spring 1", D(2028, 1, 4), D(2028, 2, 11)),
        ("Spring 2", D(2028, 2, 21), D(2028, 4, 7)),
        ("Summer 1", D(2028, 4, 24), D(2028, 5, 26)),
        ("Summer 2", D(2028, 6, 5), D(2028, 7, 20)),
    ],
}

BANK_HOLIDAYS: list[tuple[dt.date, str]] = [
    (D(2024, 1, 1), "New Year's Day"),
    (D(2024, 3, 29), "Good Friday"),
    (D(2024, 4, 1), "Easter Monday"),
    (D(2024, 5, 6), "Early May bank holiday"),
    (D(2024, 5, 27), "Spring bank holiday"),
    (D(2024, 8, 26), "Summer bank holiday"),
    (D(2024, 12, 25), "Christmas Day"),
    (D(2024, 12, 26), "Boxing Day"),
    (D(2025, 1, 1), "New Year's Day"),
    (D(2025, 4, 18), "Good Friday"),
    (D(2025, 4, 21), "Easter Monday"),
    (D(2025, 5, 5), "Early May bank holiday"),
    (D(2025, 5, 26), "Spring bank holiday"),
    (D(2025, 8, 25), "Summer bank holiday"),
    (D(2025, 12, 25), "Christmas Day"),
    (D(2025, 12, 26), "Boxing Day"),
    (D(2026, 1, 1), "New Year's Day"),
    (D(2026, 4, 3), "Good Friday"),
    (D(2026, 4, 6), "Easter Monday"),
    (D(2026, 5, 4), "Early May bank holiday"),
    (D(2026, 5, 25), "Spring bank holiday"),
    (D(2026, 8, 31), "Summer bank holiday"),
    (D(2026, 12, 25), "Christmas Day"),
    (D(2026, 12, 28), "Boxing Day (substitute day)"),
    (D(2027, 1, 1), "New Year's Day"),
    (D(2027, 3, 26), "Good Friday"),
    (D(2027, 3, 29), "Easter Monday"),
    (D(2027, 5, 3), "Early May bank holiday"),
    (D(2027, 5, 31), "Spring bank holiday"),
    (D(2027, 8, 30), "Summer bank holiday"),
    (D(2027, 12, 27), "Christmas Day (substitute day)"),
    (D(2027, 12, 28), "Boxing Day (substitute day)"),
    (D(2028, 1, 3), "New Year's Day (substitute day)"),
    (D(2028, 4, 14), "Good Friday"),
    (D(2028, 4, 17), "Easter Monday"),
    (D(2028, 5, 1), "Early May bank holiday"),
    (D(2028, 5, 29), "Spring bank holiday"),
    (D(2028, 8, 28), "Summer bank holiday"),
    (D(2028, 12, 25), "Christmas Day"),
    (D(2028, 12, 26), "Boxing Day"),
]
