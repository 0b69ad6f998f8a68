#!/usr/bin/env bash
# Runs a scripted set of `statute` commands (store commands, errors, file diffs in every
# format) with two binaries, each in a scratch directory of its own with the same relative
# paths, and compares stdout, stderr and the exit code of every step.
# Usage: scripts/cli-identical.sh OLD_BINARY NEW_BINARY [CORPUS]
set -uo pipefail
old=$(realpath "$1") new=$(realpath "$2") corpus=$(realpath "${3:-${STATUTE_CORPUS:-$(dirname "$0")/../../shared/corpus}}")
tmp=$(mktemp -d); if [ -n "${KEEP:-}" ]; then echo "kept: $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
multi=$corpus/multi
road=$(find "$multi" -mindepth 2 -maxdepth 2 -type d -name '中华人民共和国道路运输条例' | head -1)
civ=$(find "$multi" -mindepth 2 -maxdepth 2 -type d -name '*民事诉讼法》的解释' | head -1)
one=$corpus/single/local_上海/上海市促进浦东新区商事调解规定/2024-11-28.md
noise=$(ls -d "$corpus"/format-noise/*/ | head -3)

steps() {
    # Each line: a step; `S` runs the binary with the store `st`.
    cat <<STEPS
S list
S log x
--store nowhere list
--store $corpus list
S init
S init
S list
S import $multi
S import $multi
S import $one
S import $one --title 改名 --date 2024-12-01
S import nosuch.md
S import bad.bin
S import nodate.md
S import notitle-2020-01-01.txt --date 2020-01-01
S import notitle-2020-01-01.txt nodate.md nosuch.md bad.bin --date 2020-01-01
S import nodate.md --date 2021-13-01
S list
S list 中华人民共和国
S list 没有这个
S log 道路运输条例
S log 中华人民共和国道路运输条例-ccf34634
S log 没有这个
S log 中华人民共和国
S log 法
S show 道路运输条例
S show 道路运输条例@first
S show 道路运输条例@2022-03-29
S show 道路运输条例@1999-01-01
S show 道路运输条例 --version latest
S show 道路运输条例 --at 2020-06-01
S show 道路运输条例 --at 1900-01-01
S show 道路运输条例 --at 2020-13-01
S show 没有这个
S history 道路运输条例 第一条
S history 道路运输条例 10
S history 道路运输条例@first 第十条
S history 道路运输条例 第九百条
S blame 道路运输条例
S blame 民事诉讼法》的解释
S blame 民事诉讼法》的解释@first
S blame 道路运输条例@nope
S diff 道路运输条例
S diff 民事诉讼法》的解释 first
S diff 民事诉讼法》的解释 first latest --format json
S diff 民事诉讼法》的解释 2015-02-04 2022-03-22.2 --format markdown
S diff 民事诉讼法》的解释 first latest --format decision
S diff 道路运输条例 first --format table
S diff 道路运输条例 first --only added,deleted
S diff 道路运输条例 first --only bogus
S diff 商事调解规定
S diff 没有这个
S diff 道路运输条例 nope
S feed
S feed --format json
S feed --format atom
S feed --format atom --statute 道路运输条例
S feed --format atom --statute 道路运输条例 --statute 民事诉讼法》的解释
S feed --statute 道路运输条例 --limit 2
S feed --limit 3
S feed --since 2020-01-01
S feed --since 2023-07-20/中华人民共和国道路运输条例-ccf34634/1
S feed --since 2023-07-20/没有-00000000/1
S feed --since yesterday
S feed --statute 没有这个
S feed --format bogus
S verify
S browse
S
S --help
S nosuch
--version
S parse $one
S parse $one --format json
S parse bad.bin
S parse nosuch.md
S check $one $road/2019-03-02.md
S check -q $one bad.bin
S diff --help
S import --help
S feed --help
S show --help
T log 道路运输条例
T show 道路运输条例
T list
T blame 道路运输条例
T diff 道路运输条例
T diff 道路运输条例 --no-pager
T diff 道路运输条例 first --format json
T diff 道路运输条例 first --format table
T diff 道路运输条例 first --format html --no-pager
T diff 道路运输条例 first --format docx
T diff 道路运输条例 first --format docx -o out.docx
T diff 道路运输条例 first --format markdown -o out.md
T diff 道路运输条例 -s
T diff 道路运输条例 --color never
T feed --format atom --limit 1
STEPS
    prev=
    for f in "$road"/*.md "$civ"/*.md; do
        if [ -n "$prev" ] && [ "$(dirname "$prev")" = "$(dirname "$f")" ]; then
            for fmt in "--format text" "--format text --color always" "--format text -s" \
                "--format text -s --width 80" "--format text --width 60 --context 1" \
                "--format table" "--format html" "--format markdown" "--format decision" \
                "--format json" "--format text --all" "--format text --article 10" \
                "--format text --chapter 第二章" "--format docx -o out.docx" \
                "--format docx --docx-layout redline -o out.docx" \
                "--format docx --docx-layout redline --changed-only -o out.docx" \
                "--format text --docx-layout table" "--format docx --changed-only"; do
                echo "S diff $prev $f $fmt"
            done
        fi
        prev=$f
    done
    for d in $noise; do
        echo "S diff $d/a.md $d/b.md --format text"
        echo "S diff $d/a.md $d/b.md --format decision"
    done
    echo "S diff $one nosuch.md"
    echo "S diff $one bad.bin"
}

run() { # BIN DIR
    local bin=$1 dir=$2 n=0
    mkdir -p "$dir"; cd "$dir" || exit 2
    printf '\x00\x01binary' >bad.bin
    printf '# 某条例\n\n第一条 内容。\n' >nodate.md
    printf '第一条 内容。\n第二条 内容。\n' >notitle-2020-01-01.txt
    while IFS= read -r line; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        rm -f out.docx out.md
        if [ "${line:0:1}" = T ]; then
            # On a terminal (20 rows, 100 columns), with a pager that marks its lines.
            script -qec "stty rows 20 cols 100; PAGER='sed s/^/P:/' $bin --store st ${line:1}" /dev/null \
                >"$n.out" 2>"$n.err" </dev/null; echo $? >"$n.rc"
        else
            if [ "${line:0:1}" = S ]; then set -- --store st ${line:1}; else set -- $line; fi
            "$bin" "$@" >"$n.out" 2>"$n.err" </dev/null; echo $? >"$n.rc"
        fi
        [ -f out.docx ] && mv out.docx "$n.docx"
        [ -f out.md ] && mv out.md "$n.md"
        echo "$line" >"$n.cmd"
    done < <(steps)
    # The store under STATUTE_STORE, and a store that is not one.
    n=$((n + 1)); STATUTE_STORE=st "$bin" log 道路运输条例 >"$n.out" 2>"$n.err"; echo $? >"$n.rc"; echo "env log" >"$n.cmd"
    mkdir -p notastore && echo x >notastore/f
    n=$((n + 1)); "$bin" --store notastore list >"$n.out" 2>"$n.err"; echo $? >"$n.rc"; echo "not a store" >"$n.cmd"
    n=$((n + 1)); "$bin" --store notastore init >"$n.out" 2>"$n.err"; echo $? >"$n.rc"; echo "init not a store" >"$n.cmd"
    rm -f st/config.bak
    echo $n
}

total=$(run "$old" "$tmp/old")
run "$new" "$tmp/new" >/dev/null
differ=0
for i in $(seq 1 "$total"); do
    for ext in out err rc docx md; do
        a=$tmp/old/$i.$ext b=$tmp/new/$i.$ext
        if [ -e "$a" ] || [ -e "$b" ]; then
            if ! cmp -s "$a" "$b"; then
                differ=$((differ + 1)); echo "differs ($ext): $(cat "$tmp/old/$i.cmd")"
                diff <(head -c 2000 "$a") <(head -c 2000 "$b") | head -8
            fi
        fi
    done
done
echo "$total steps, $differ differ"
[ $differ = 0 ]
