#!/usr/bin/env bash
# Compares `statute diff --format json` of two binaries on every pair of the shared corpus:
# consecutive versions of each statute in multi/ and the two copies of each format-noise/
# version. Prints the pairs whose output differs and a count; exit 1 if any differ.
# Usage: scripts/json-identical.sh OLD_BINARY NEW_BINARY [CORPUS]
set -uo pipefail
old=$1 new=$2 corpus=${3:-${STATUTE_CORPUS:-$(dirname "$0")/../../shared/corpus}}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pairs=0 differ=0
compare() {
    pairs=$((pairs + 1))
    "$old" diff --format json "$1" "$2" >"$tmp/old" 2>"$tmp/old.err"; a=$?
    "$new" diff --format json "$1" "$2" >"$tmp/new" 2>"$tmp/new.err"; b=$?
    if [ $a != $b ] || ! cmp -s "$tmp/old" "$tmp/new" || ! cmp -s "$tmp/old.err" "$tmp/new.err"; then
        differ=$((differ + 1)); echo "differs: $1 $2 (exit $a vs $b)"
    fi
}
while IFS= read -r dir; do
    prev=
    for f in "$dir"/*.md; do
        [ -n "$prev" ] && compare "$prev" "$f"
        prev=$f
    done
done < <(find "$corpus/multi" -mindepth 2 -maxdepth 2 -type d | sort)
for d in "$corpus"/format-noise/*/; do compare "$d/a.md" "$d/b.md"; done
echo "$pairs pairs, $differ differ"
[ $differ = 0 ]
