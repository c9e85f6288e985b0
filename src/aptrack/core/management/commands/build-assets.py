"""Copy the pinned GOV.UK Frontend and MOJ Frontend builds from node_modules into static files.

The precompiled CSS points at /assets/...; we rewrite that to a relative path so the files work
under any STATIC_URL and survive WhiteNoise's manifest hashing.
"""

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

COPIES = {
    "govuk-frontend/dist/govuk/govuk-frontend.min.css": "govuk-frontend.min.css",
    "govuk-frontend/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
    "@ministryofjustice/frontend/moj/moj-frontend.min.css": "moj-frontend.min.css",
    "@ministryofjustice/frontend/moj/moj-frontend.min.js": "moj-frontend.min.js",
}
ASSET_DIRS = [
    "govuk-frontend/dist/govuk/assets",
    "@ministryofjustice/frontend/moj/assets",
]


class Command(BaseCommand):
    help = "Copy GOV.UK Frontend and MOJ Frontend (from node_modules) into aptrack's static files"

    def handle(self, *args: Any, **options: Any) -> None:
        modules = Path(settings.PROJECT_DIR) / "node_modules"
        if not (modules / "govuk-frontend").is_dir():
            raise CommandError(
                f"{modules} has no govuk-frontend: run `npm ci` first (make install does)"
            )
        target = Path(settings.BASE_DIR) / "static" / "vendor"
        if target.exists():
            shutil.rmtree(target)
        (target / "assets").mkdir(parents=True)
        for source, name in COPIES.items():
            text = (modules / source).read_text(encoding="utf-8")
            if name.endswith(".css"):
                text = text.replace("url(/assets/", "url(assets/")
            # Source maps are not shipped, so drop the reference to them.
            text = text.replace(f"/*# sourceMappingURL={name}.map */", "")
            text = text.replace(f"//# sourceMappingURL={name}.map", "")
            (target / name).write_text(text, encoding="utf-8")
        for directory in ASSET_DIRS:
            shutil.copytree(modules / directory, target / "assets", dirs_exist_ok=True)
        self.stdout.write(f"GOV.UK Frontend and MOJ Frontend copied to {target}")
