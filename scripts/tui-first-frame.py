#!/usr/bin/env python3
"""Time to first frame of `statute browse`, process start included: runs the binary on a
pseudo-terminal (80x24) and measures from the fork to the first read that holds the first
frame's status line (drawn last), then sends q. It answers no terminal query, so a browser that waited for
one (ratatui's `Terminal::clear` asks for the cursor position) shows here as a two-second
first frame. The first frame does not wait for the statute list (the loader reads it); the
time until the list is drawn (the count `N/N` in its title) is printed beside it. Prints each run and
the medians.

Usage: scripts/tui-first-frame.py STORE [BINARY] [RUNS]   (BINARY: target/release/statute)
"""
import fcntl, os, pty, re, statistics, struct, sys, termios, time

store = sys.argv[1]
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/statute"
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
times = []
lists = []
# The first frame: its status line, drawn last: `Enter open`, or `computing…` while the loader
# reads the list. (CJK text is no marker: the terminal backend moves the cursor between wide
# characters.)
FIRST_FRAME = re.compile(rb"Enter open|computing")
# The list's count `N/N` in its title (ratatui redraws only the cells that changed, so the
# title's 法规, drawn in the first frame, is not written again).
LIST_TITLE = re.compile(rb"[0-9]+/[0-9]+")


def read_until(fd, seen, done):
    """Reads the terminal's output onto `seen` until `done(seen)` or the end; returns it."""
    while not done(seen):
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


for _ in range(runs):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execv(binary, [binary, "--store", store, "browse"])
    seen = read_until(fd, b"", lambda seen: FIRST_FRAME.search(seen))
    times.append((time.perf_counter() - start) * 1000)
    seen = read_until(fd, seen, LIST_TITLE.search)
    lists.append((time.perf_counter() - start) * 1000)
    os.write(fd, b"q")
    # Drain until the child exits.
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    print(f"first frame after {times[-1]:.1f} ms, statute list after {lists[-1]:.1f} ms")
print(
    f"median {statistics.median(times):.1f} ms (list {statistics.median(lists):.1f} ms)"
    f" over {runs} runs"
)
