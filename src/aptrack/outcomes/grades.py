"""The attainment scale: one ordered whole-number scale for English and maths, so that "improved"
is `latest > entry` and "grade 4+" is `grade >= 4` in SQL.

- 1 to 9 are GCSE grades 9–1 as they are: 9 highest, 4 a "standard pass", 5 a "strong pass"
  (the DfE's KS4 headline measures are grade 4+ and grade 5+ in both English and maths);
- below GCSE grade 1, working-at grades use the Entry Level bands the Entry Level Certificate
  and Functional Skills use: 0 = Entry Level 3, -1 = Entry Level 2, -2 = Entry Level 1;
- -3 is below Entry Level 1 (pre-entry) as a working-at grade, and U (ungraded) as a KS4 result.

A KS4 result is a GCSE grade (1–9) or U (-3); a working-at grade may be anywhere on the scale.
"""

GRADE_MIN = -3
GRADE_MAX = 9
ENTRY_LEVEL_3 = 0
STANDARD_PASS = 4  # grade 4+
STRONG_PASS = 5  # grade 5+
UNGRADED = -3

_BELOW_GCSE = {
    0: "Entry Level 3",
    -1: "Entry Level 2",
    -2: "Entry Level 1",
    -3: "Below Entry Level 1 (pre-entry)",
}

WORKING_AT_CHOICES: list[tuple[int, str]] = [
    *((grade, f"GCSE grade {grade}") for grade in range(GRADE_MAX, 0, -1)),
    *sorted(_BELOW_GCSE.items(), reverse=True),
]
KS4_RESULT_CHOICES: list[tuple[int, str]] = [
    *((grade, f"GCSE grade {grade}") for grade in range(GRADE_MAX, 0, -1)),
    (UNGRADED, "U (ungraded)"),
]
KS4_RESULT_GRADES = frozenset(grade for grade, _ in KS4_RESULT_CHOICES)


def grade_label(grade: int | None, *, ks4_result: bool = False) -> str:
    """How a grade reads on a page: "GCSE grade 4", "Entry Level 2", "U (ungraded)"."""
    if grade is None:
        return "Not recorded"
    if grade >= 1:
        return f"GCSE grade {grade}"
    if ks4_result and grade == UNGRADED:
        return "U (ungraded)"
    return _BELOW_GCSE.get(grade, str(grade))


def is_valid_grade(grade: int, *, ks4_result: bool = False) -> bool:
    if ks4_result:
        return grade in KS4_RESULT_GRADES
    return GRADE_MIN <= grade <= GRADE_MAX
