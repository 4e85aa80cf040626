#!/usr/bin/env python3
"""Edit-to-reload latency of `broadsheet serve`: starts the server on a site, listens to the
live-reload event stream, edits one article's title, and times until the `reload` event
arrives (the rebuild is done and pages are current). Repeats and prints the median.

usage: bench/reload_latency.py SITE_DIR [--binary target/release/broadsheet] [--runs 5]
"""
import argparse, glob, os, socket, statistics, subprocess, sys, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--binary", default="target/release/broadsheet")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    server = subprocess.Popen([binary, "serve", "--port", str(port)], cwd=a.site,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in server.stdout:
            if line.startswith("Serving "):
                break
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__broadsheet/events HTTP/1.1\r\nHost: x\r\n\r\n")
        reader = events.makefile("rb")
        wait_for(reader, b"event: hello")
        article = sorted(glob.glob(os.path.join(a.site, "content", "*", "*.md")))[0]
        original = open(article, encoding="utf-8").read()
        times = []
        try:
            for run in range(a.runs):
                text = original.replace('title = "', f'title = "Edit {run} ', 1)
                start = time.perf_counter()
                with open(article, "w", encoding="utf-8") as f:
                    f.write(text)
                wait_for(reader, b"event: reload")
                times.append((time.perf_counter() - start) * 1000)
                time.sleep(0.3)
        finally:
            with open(article, "w", encoding="utf-8") as f:
                f.write(original)
        print(f"edit-to-reload: median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, "
              f"max {max(times):.0f} ms over {len(times)} edits")
    finally:
        server.terminate(); server.wait()

def wait_for(reader, wanted):
    while True:
        line = reader.readline()
        if not line:
            sys.exit("event stream closed")
        if line.strip() == wanted:
            return

if __name__ == "__main__":
    main()
