#!/bin/sh
# Install the Kazakh hunspell dictionary (Debian package hunspell-kk) as a PostgreSQL ispell
# dictionary `kk_kz` for the `kazakh` text search configuration of the public search.
#
# Debian's pg_updatedicts skips kk_KZ (its .aff starts with a byte-order mark, so it finds no
# encoding), hence this converter: UTF-8 without BOM, LF line ends, into every installed
# PostgreSQL's tsearch_data as kk_kz.affix and kk_kz.dict. Idempotent; run as root on the
# database machine, then `maslikhat search-rebuild` (which creates the configuration).
set -eu
SRC=${HUNSPELL_DIR:-/usr/share/hunspell}
if [ ! -r "$SRC/kk_KZ.aff" ] || [ ! -r "$SRC/kk_KZ.dic" ]; then
  echo "kazakh-dictionary: $SRC/kk_KZ.aff or .dic missing (apt-get install hunspell-kk)" >&2
  exit 1
fi
found=0
for dir in /usr/share/postgresql/*/tsearch_data; do
  [ -d "$dir" ] || continue
  found=1
  sed '1s/^\xEF\xBB\xBF//; s/\r$//' "$SRC/kk_KZ.aff" > "$dir/kk_kz.affix.tmp"
  sed '1s/^\xEF\xBB\xBF//; s/\r$//' "$SRC/kk_KZ.dic" > "$dir/kk_kz.dict.tmp"
  mv "$dir/kk_kz.affix.tmp" "$dir/kk_kz.affix"
  mv "$dir/kk_kz.dict.tmp" "$dir/kk_kz.dict"
  echo "kazakh-dictionary: installed into $dir"
done
[ "$found" = 1 ] || { echo "kazakh-dictionary: no PostgreSQL tsearch_data directory found" >&2; exit 1; }
