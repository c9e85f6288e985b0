"""GOV.UK pagination parameters for a Django page, keeping the list's filters in each link."""

from typing import Any

from django.core.paginator import Page
from django.http import QueryDict


def pagination_params(page: Page, query: QueryDict) -> dict[str, Any] | None:
    """Parameters for govukPagination, or None when everything fits on one page."""
    if page.paginator.num_pages <= 1:
        return None
    kept = query.copy()
    kept.pop("page", None)
    base = "?" + (kept.urlencode() + "&" if kept else "") + "page="
    return {
        "previous": {"href": f"{base}{page.previous_page_number()}"}
        if page.has_previous()
        else None,
        "next": {"href": f"{base}{page.next_page_number()}"} if page.has_next() else None,
        "items": [
            {"ellipsis": True}
            if number == page.paginator.ELLIPSIS
            else {"number": number, "href": f"{base}{number}", "current": number == page.number}
            for number in page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            )
        ],
    }
