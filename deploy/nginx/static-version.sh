#!/bin/sh
# Print the version of a static/ folder: the hash app/core/static_urls.py puts in static URLs
# (SHA-256 over each file's relative name, a NUL and its bytes, names in byte order; 12 hex).
set -eu
cd "$1"
find . -type f | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r name; do
  printf '%s\0' "$name"
  cat "$name"
done | sha256sum | cut -c1-12
