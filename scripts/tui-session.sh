#!/usr/bin/env bash
# A scripted `statute browse` session in a real terminal (tmux, 80×24, NO_COLOR so that the
# captures show the [-…-]{+…+} marks): import the corpus's multi-version statutes into a
# temporary store, open 中华人民共和国立法法, go to its 2023 amendment, walk to the first
# article that was renumbered and modified, open it, show it side by side, open its history,
# go back and quit; then check that the terminal is clean (same stty settings, main screen,
# mouse reporting off, cursor shown). A second run panics on purpose after the first frame
# (STATUTE_BROWSE_PANIC_TEST) and checks the same. Captures go to $OUT (default
# /tmp/tui-session), one file per step, and are printed.
#
# Usage: scripts/tui-session.sh   (STATUTE_BIN=path/to/statute to use another binary;
#        STATUTE_CORPUS as for the tests; apt-get install tmux if it is missing)
set -euo pipefail

cd "$(dirname "$0")/.."
corpus="${STATUTE_CORPUS:-../shared/corpus}"
out="${OUT:-/tmp/tui-session}"
bin="${STATUTE_BIN:-target/debug/statute}"
command -v tmux >/dev/null || { echo "tmux is needed (apt-get install tmux)" >&2; exit 2; }
[ -d "$corpus/multi" ] || { echo "no corpus at $corpus" >&2; exit 2; }
[ -x "$bin" ] || cargo build --quiet
bin="$(realpath "$bin")"

rm -rf "$out"
mkdir -p "$out"
store="$out/store"
"$bin" --store "$store" init >/dev/null
"$bin" --store "$store" import "$corpus/multi" | tail -1

session="statute-tui-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

capture() { tmux capture-pane -p -t "$session" >"$out/$1.txt"; }
screen() { tmux capture-pane -p -t "$session"; }
# Waits until the screen shows $1 (and no "computing…"), at most 10 s.
wait_for() {
  for _ in $(seq 100); do
    s="$(screen)"
    if grep -qF -- "$1" <<<"$s" && ! grep -qF "computing…" <<<"$s"; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2
  screen >&2
  return 1
}
keys() { tmux send-keys -t "$session" "$@"; sleep 0.25; }

# The browser runs inside a shell that compares the terminal settings before and after.
start() {
  tmux new-session -d -s "$session" -x 80 -y 24 \
    "export NO_COLOR=1 $1; before=\$(stty -g); '$bin' --store '$store' browse; rc=\$?; \
     [ \"\$before\" = \"\$(stty -g)\" ] && echo \"stty restored, exit \$rc\" || echo \"stty CHANGED, exit \$rc\"; \
     sleep 600"
}

# Checks the terminal state tmux sees after the browser ended.
clean() {
  wait_for "stty restored"
  local alt mouse cursor
  alt="$(tmux display -p -t "$session" '#{alternate_on}')"
  mouse="$(tmux display -p -t "$session" '#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}')"
  cursor="$(tmux display -p -t "$session" '#{cursor_flag}')"
  echo "$1: alternate screen $alt, mouse flags $mouse, cursor shown $cursor"
  [ "$alt" = 0 ] && [ "$mouse" = 000 ] && [ "$cursor" = 1 ]
}

start ""
wait_for "法规"
capture 01-list
keys / 立法法 Enter
wait_for "中华人民共和国立法法"
capture 02-filtered
keys Enter
wait_for "版本"
capture 03-timeline
keys Enter
wait_for "2015-03-15 → 2023-03-13"
capture 04-amendment
# Down the list to the first article renumbered and modified.
for _ in $(seq 120); do
  grep -qF "[修改, 条序变化]" <<<"$(screen)" && break
  keys j
done
grep -qF "[修改, 条序变化]" <<<"$(screen)"
capture 05-renumbered-article
keys Enter
keys s
capture 06-side-by-side
# The same at 120×30: everything reflows.
tmux resize-window -t "$session" -x 120 -y 30
sleep 0.4
capture 06b-resized-120x30
tmux resize-window -t "$session" -x 80 -y 24
sleep 0.4
keys h
wait_for "条文沿革"
capture 07-history
keys Escape
sleep 0.3
keys Escape
sleep 0.3
keys '?'
capture 08-help
keys Escape
sleep 0.3
keys q
clean "quit" | tee "$out/09-after-quit-state.txt"
capture 09-after-quit
tmux kill-session -t "$session"

start "STATUTE_BROWSE_PANIC_TEST=1"
clean "panic" | tee "$out/10-after-panic-state.txt"
capture 10-after-panic
grep -qF "panicked" "$out/10-after-panic.txt"

for f in "$out"/*.txt; do
  echo "=== $(basename "$f")"
  cat "$f"
done
echo "tui session: ok (captures in $out)"
