#!/usr/bin/env bash
# Drill: back up the database of DATABASE_URL and the media folder, restore into a NEW database and
# a new media folder, and compare every table's row count and checksum and every media file.
# Prints what it did and what it found; exits non-zero on any difference. Never touches the source.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pendopo scripts/drills/backup_restore.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
target=""
cleanup() {
  if [ -n "$target" ]; then dropdb --if-exists "${pg_args[@]}" "$target" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
echo "drill: backup of ${DATABASE_URL:-the SQLite default} into $work/backup"
.venv/bin/pendopo backup "$work/backup"
case "${DATABASE_URL:-sqlite}" in
  postgres*)
    read -r -a pg_args < <(.venv/bin/python - <<'PY'
import os
from pendopo.lib.env import parse_database_url
db = parse_database_url(os.environ["DATABASE_URL"])
print(f"--host={db.get('HOST') or '127.0.0.1'} --port={db.get('PORT') or 5432} --username={db.get('USER') or 'postgres'}")
PY
)
    target="pendopo_drill_restore_$$"
    createdb "${pg_args[@]}" "$target"
    url="$(.venv/bin/python -c 'import os, sys; from urllib.parse import urlsplit; u = urlsplit(os.environ["DATABASE_URL"]); print(u._replace(path="/" + sys.argv[1]).geturl())' "$target")"
    ;;
  *) url="sqlite:///$work/restored.sqlite3" ;;
esac
echo "drill: restore into a new database and $work/media"
.venv/bin/pendopo restore "$work/backup" --database-url "$url" --media-root "$work/media"
echo "drill: identical — the backup restores"
