from aptrack.audit.display import actor_display, change_lines


def test_role_codes_read_as_role_names():
    assert actor_display("officer (LA_OFFICER)") == "officer (LA AP officer)"
    assert actor_display("system") == "system"


def test_every_shape_of_change_reads_as_a_line():
    assert change_lines({"status": {"old": "ACTIVE", "new": "ENDED"}}) == ["Status: ACTIVE → ENDED"]
    assert change_lines({"grade": "4", "sustained": True}) == ["Grade: 4", "Sustained: Yes"]
    assert change_lines({"end_date": {"old": None, "new": "2026-12-01"}}) == ["End date: – → 2026-12-01"]
    assert change_lines({}) == []
