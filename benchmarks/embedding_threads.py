"""How long one message's sentence embedding takes, by parse-time threads and by how many
processes share the machine (bot processes behind a load balancer, or a bot beside Rasa).

    .venv/bin/python benchmarks/embedding_threads.py [--messages 150] [--processes 1,3]

Each configuration starts that many child processes at once; each embeds the same set of
different messages (no cache) on WERKPAD_EMBEDDING_THREADS threads and reports its times;
the figures are p50/p95/max over every message of every process. OpenMP threads spin while
they wait: more spinning threads than free cores costs seconds, not milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, sys, time
from bot.nlu.embeddings import Embedder
embedder = Embedder(None)
embedder.embed_one("warm up", cached=False)
times = []
for i in range(int(sys.argv[1])):
    started = time.perf_counter()
    embedder.embed_one(f"message {i}: where can I find a job near Budel", cached=False)
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""


def run(processes: int, threads: int, messages: int) -> list[float]:
    env = os.environ | {"WERKPAD_EMBEDDING_THREADS": str(threads), "PYTHONPATH": str(ROOT)}
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(messages)], env=env,
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
                for _ in range(processes)]
    times: list[float] = []
    for child in children:
        out, _ = child.communicate(timeout=600)
        if child.returncode != 0:
            raise SystemExit(f"a child process failed ({child.returncode})")
        times += json.loads(out)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=150)
    parser.add_argument("--processes", default="1,3")
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"{cores} cores; {args.messages} messages per process; milliseconds per message")
    print(f"{'processes':>9} {'threads':>7} {'p50':>7} {'p95':>7} {'max':>8} {'wall s':>7}")
    for processes in (int(p) for p in args.processes.split(",")):
        for threads in (int(t) for t in args.threads.split(",")):
            started = time.perf_counter()
            times = sorted(t * 1000 for t in run(processes, threads, args.messages))
            wall = time.perf_counter() - started
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"{processes:>9} {threads:>7} {statistics.median(times):>7.1f} {p95:>7.1f} "
                  f"{times[-1]:>8.1f} {wall:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
