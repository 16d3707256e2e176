"""Static files as production and the demo serve them (settings.STORAGES; docs/deployment.md, "Static files").

`manage.py collectstatic` writes each file to STATIC_ROOT twice, as it is and with a hash of its content in its name
(echarts.custom.min.3f1c….js), with a gzip copy beside each (WhiteNoise's CompressedManifestStaticFilesStorage).
`{% static %}` then gives the hashed name; WhiteNoise answers it with the gzip copy when the browser accepts gzip, and
lets the browser keep it for good (`Cache-Control: immutable`): a new content is a new name.

Two cases where a hashed name would be wrong, so the plain name is given instead (served fresh from the source
folders by WhiteNoise's finders, uncompressed, cached 60 s), never an error page:
- no manifest entry for the file (collectstatic never run, or run before the file existed);
- the manifest is older than a source file: the code changed since collectstatic (a release reloaded without it),
  and the hashed copy holds the old content.
"""

from __future__ import annotations

import logging
import os

from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

IGNORE_PATTERNS = ["CVS", ".*", "*~"]  # collectstatic's defaults


def newest_source_mtime() -> float:
    """The latest modification time of the files collectstatic collects (some twenty files: a few stat calls)."""
    newest = 0.0
    for finder in finders.get_finders():
        for path, storage in finder.list(IGNORE_PATTERNS):
            newest = max(newest, os.stat(storage.path(path)).st_mtime)
    return newest


class CollectedStaticStorage(CompressedManifestStaticFilesStorage):
    def load_manifest(self):
        hashed_files, manifest_hash = super().load_manifest()
        if hashed_files:
            manifest_mtime = os.stat(self.manifest_storage.path(self.manifest_name)).st_mtime
            if newest_source_mtime() > manifest_mtime:
                logger.warning("static files changed since the last collectstatic: pages use their plain names "
                               "(uncompressed) until `manage.py collectstatic --noinput` runs")
                return {}, ""
        return hashed_files, manifest_hash

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # no manifest entry: the plain name, which WhiteNoise's finders serve
            return name
