"""The Jinja2 environment for every page: GOV.UK Frontend macros plus Django's url and static."""

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from aptrack.core.govuk import formatting
from aptrack.core.govuk import forms as govuk_forms
from aptrack.core.govuk.fixed import account_markup, fixed_markup, service_navigation
from aptrack.core.navigation import page_sections


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def static_folder(path: str) -> str:
    """The URL of a folder of static files (GOV.UK Frontend's assetPath). ``static()`` cannot
    give it in production, where each file's name carries a hash of its content and a folder
    has none; the files are served under their plain names as well."""
    return f"{settings.STATIC_URL}{path}"


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 - autoescape is set above
    env.globals.update(
        url=url,
        static=static,
        static_folder=static_folder,
        fixed_markup=fixed_markup,
        service_navigation=service_navigation,
        account_markup=account_markup,
        get_messages=get_messages,
        govuk_field=govuk_forms.render_field,
        govuk_form_fields=govuk_forms.render_fields,
        error_summary=govuk_forms.render_error_summary,
        page_sections=page_sections,
    )
    env.filters.update(
        uk_date=formatting.uk_date,
        uk_datetime=formatting.uk_datetime,
        yes_no=formatting.yes_no,
        gbp=formatting.gbp,
    )
    return env
