"""Files of an application form that come back with errors are kept, not asked for again (issue #11 item 8).

When the form has errors, each file that passed its content check is written to
`MEDIA_ROOT/applications/pending/` (outside the web root, like every document) and the form
carries a signed token naming it, bound to the user who sent it and valid for a day; sent
again without a new file, the field takes the kept one, checked by content once more. A new
file in the field replaces the kept one. After the application is written the kept files are
deleted; a form that is never sent again leaves its files, which `remove_stale` clears.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from pendopo.lib import dates

if TYPE_CHECKING:
    from pendopo.applications.uploads import CheckedFile

FOLDER = "applications/pending"
MAX_AGE = dt.timedelta(days=1)
_SALT = "pendopo.applications.kept-upload"


def keep(checked: CheckedFile, *, field: str, user_id: int | None) -> str:
    """Store a checked upload for the form's next POST; the token for its hidden input."""
    name = f"{FOLDER}/{secrets.token_hex(16)}.{checked.extension}"
    checked.upload.seek(0)
    stored = default_storage.save(name, checked.upload)
    checked.upload.seek(0)
    payload = {"n": stored, "o": checked.original_name, "t": checked.content_type, "f": field, "u": user_id or 0}
    return signing.dumps(payload, salt=_SALT, compress=True)


def reopen(token: str, *, field: str, user_id: int | None) -> tuple[SimpleUploadedFile, str] | None:
    """The kept file of `token` as an upload to check again, with its token; None when the token is not
    this user's for this field, too old or its file is gone."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("f") != field or payload.get("u") != (user_id or 0):
        return None
    name = str(payload.get("n", ""))
    if not name.startswith(f"{FOLDER}/") or ".." in name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    return SimpleUploadedFile(str(payload.get("o", "dokumen")), content, content_type=str(payload.get("t", ""))), name


def discard(names: list[str]) -> None:
    for name in names:
        if name.startswith(f"{FOLDER}/"):
            default_storage.delete(name)


def remove_stale() -> int:
    """Delete kept files older than a day (their tokens no longer open them). Returns how many."""
    if not default_storage.exists(FOLDER):
        return 0
    limit = dates.now() - MAX_AGE
    removed = 0
    for filename in default_storage.listdir(FOLDER)[1]:
        name = f"{FOLDER}/{filename}"
        if default_storage.get_modified_time(name) < limit:
            default_storage.delete(name)
            removed += 1
    return removed
