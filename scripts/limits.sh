#!/bin/sh
# Measures time and peak memory of `statute` on inputs far outside what statutes look like
# (the limits stated in docs/benchmarks.md): a 100 MB file, one 10 MB line, two unrelated 10 MB lines,
# 100,000 articles, 10,000 headings, 5,000 identical articles.
#
#   scripts/limits.sh            (needs python3 and GNU time; builds the release binary)
set -eu
cd "$(dirname "$0")/.."
[ -x target/release/statute ] || cargo build --release
bin=$PWD/target/release/statute
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
python3 - <<'PY'
import random
head = "# 某某测试条例\n\n2020年1月1日通过\n\n<!-- INFO END -->\n\n"
def arts(name, n, edit):
    with open(name, "w") as f:
        f.write(head)
        for i in range(1, n + 1):
            t = "有关主管部门" if edit and i % 97 == 0 else "主管部门"
            f.write(f"第{i}条 本条规定第{i}项事务的管理办法，由{t}负责实施，具体办法另行制定。\n\n")
arts("art-a.md", 100_000, False)
arts("art-b.md", 100_000, True)
alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
random.seed(1)
line = "".join(random.choice(alphabet) for _ in range(3_400_000))
open("line-a.md", "w").write(head + line + "\n")
random.seed(2)
open("line-b.md", "w").write(head + "".join(random.choice(alphabet) for _ in range(3_400_000)) + "\n")
with open("headings.md", "w") as f:
    f.write(head)
    for i in range(1, 10_001):
        f.write(f"## 第{i}章 标题{i}\n\n### 第1节 小节\n\n")
    f.write("第一条 本条例自公布之日起施行。\n")
for name, n in (("same-a.md", 5000), ("same-b.md", 5001)):
    with open(name, "w") as f:
        f.write(head)
        for i in range(1, n + 1):
            f.write(f"第{i}条 本条例由市人民政府负责解释。\n\n")
PY
truncate -s 100M big.md
run() {
    printf '%-44s ' "$*"
    /usr/bin/time -f '%e s, %M KB peak' "$bin" "$@" 2>&1 >/dev/null | tail -1
}
run parse big.md
run parse line-a.md
run diff line-a.md line-b.md --format json
run diff art-a.md art-b.md --format json
run parse headings.md --format json
run diff same-a.md same-b.md --format json
