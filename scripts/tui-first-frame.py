#!/usr/bin/env python3
"""Time to first frame of `statute browse`, process start included: runs the binary on a
pseudo-terminal (80x24) and measures from the fork to the first read that holds the statute
list's status line (`Enter open`, drawn last), then sends q. It answers no terminal query, so a browser that waited for
one (ratatui's `Terminal::clear` asks for the cursor position) shows here as a two-second
first frame. The first frame does not wait for the statute list (the loader reads it); the
time until the list is drawn (its title `法规 N/N`) is printed beside it. Prints each run and
the medians.

Usage: scripts/tui-first-frame.py STORE [BINARY] [RUNS]   (BINARY: target/release/statute)
"""
import fcntl, os, pty, re, statistics, struct, sys, termios, time

store = sys.argv[1]
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/statute"
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
times = []
lists = []
LIST_TITLE = re.compile("法规 [0-9]+/[0-9]+".encode())
for _ in range(runs):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execv(binary, [binary, "--store", store, "browse"])
    seen = b""
    while b"Enter open" not in seen:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    times.append((time.perf_counter() - start) * 1000)
    while not LIST_TITLE.search(seen):
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
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
