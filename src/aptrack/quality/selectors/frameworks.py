"""Reads of QA frameworks and their standards, grouped by area."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from aptrack.quality.models import Framework, Standard


def list_frameworks(*, la_id: int) -> list[Framework]:
    """National frameworks, then the LA's own."""
    return list(
        Framework.objects.filter(Q(owner_la__isnull=True) | Q(owner_la_id=la_id))
        .select_related("owner_la", "based_on")
        .annotate(standard_count=Count("standards", filter=Q(standards__retired_at__isnull=True)))
        .order_by(F("owner_la_id").asc(nulls_first=True), "name", "pk")
    )


def get_framework(*, framework_id: int) -> Framework | None:
    return Framework.objects.select_related("owner_la").filter(pk=framework_id).first()


def list_standards(*, framework: Framework) -> list[Standard]:
    return list(
        framework.standards.filter(retired_at__isnull=True).order_by("area_number", "order", "pk")
    )


def get_standard(*, framework: Framework, standard_id: int) -> Standard | None:
    return framework.standards.filter(pk=standard_id, retired_at__isnull=True).first()


@dataclass(frozen=True)
class Area:
    number: int
    title: str
    items: list[Standard]


def group_by_area(standards: list[Standard]) -> list[Area]:
    areas: dict[int, Area] = {}
    for standard in standards:
        area = areas.setdefault(
            standard.area_number, Area(standard.area_number, standard.area_title, [])
        )
        area.items.append(standard)
    return [areas[n] for n in sorted(areas)]
