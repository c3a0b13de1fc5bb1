"""Search benchmark: synthetic corpora built from the real articles, timed in-process and through gunicorn.

Prints, for each corpus size: index build time and size, server-side search latency p50/p95/p99 over a fixed
set of agent-style queries, the same queries on an SQLite FTS5 table of the same jieba-segmented text (our
latency as a ratio to it), requests/s through `kb serve` with 2 workers, and cold start (process start → first
search answered). Figures only; no pass/fail (the machine is shared and noisy).

    .venv/bin/python bench/search_bench.py [--sizes 1000 10000] [--seconds 10]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb import migrate  # noqa: E402
from kb.content.loader import load_content  # noqa: E402
from kb.markdown_render import render  # noqa: E402
from kb.search import IndexDoc, SearchIndex  # noqa: E402
from kb.search.analysis import words  # noqa: E402

QUERIES = [
    "客户一直不说话", "客户嫌太贵怎么办", "客户要找经理", "客户说要曝光我们", "怎么让客户稍等", "客户要退钱",
    "我再考虑考虑", "上次答应的没做到", "客户骂人", "首问责任制", "转接电话", "结束通话", "客户说个不停",
    "别家更便宜", "道歉", "投訴", "贵", "ＶＩＰ客户", "客户很生气", "回访电话怎么打", "九准九不准",
    "\"封闭式提问\"", "客户流失", "大客户分级", "记不住客户名字", "第一印象", "微笑", "投", "iPhone15",
    "客户吵起来我很慌",
]


def real_docs() -> list[IndexDoc]:
    content = load_content(ROOT / "content")
    docs = []
    for doc in content.articles.values():
        docs.append(IndexDoc(doc_id=f"article:{doc.slug}", type="article", slug=doc.slug, title=doc.title,
                             category=doc.category, tags=doc.tags, summary=doc.summary,
                             body=render(doc.body).text, url=f"/articles/{doc.slug}"))
    return docs


def synthetic(base: list[IndexDoc], n: int, seed: int = 7) -> list[IndexDoc]:
    """n articles shaped like the real ones: article i rewrites real article i mod 117 (its paragraphs
    shuffled, about a fifth dropped, one paragraph borrowed from another article of the same category), so
    words keep realistic document frequencies instead of spreading into every document."""
    rng = random.Random(seed)
    by_category: dict[str, list[IndexDoc]] = {}
    for d in base:
        by_category.setdefault(d.category, []).append(d)
    out = list(base[:n])
    for i in range(len(out), n):
        src = base[i % len(base)]
        paras = [p for p in src.body.split("\n") if p.strip()]
        rng.shuffle(paras)
        kept = paras[: max(3, int(len(paras) * rng.uniform(0.7, 1.0)))]
        other = rng.choice(by_category[src.category])
        kept.append(rng.choice([p for p in other.body.split("\n") if p.strip()] or [""]))
        slug = f"{src.slug}-{i}"
        out.append(IndexDoc(doc_id=f"article:{slug}", type="article", slug=slug, title=f"{src.title}（{i}）",
                            category=src.category, tags=src.tags, summary=src.summary, body="\n".join(kept),
                            url=f"/articles/{slug}"))
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94], q[98]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def time_first(index: SearchIndex) -> list[float]:
    """Each query once on a freshly opened searcher: nothing decoded yet (the worst case after a restart or a
    write)."""
    index.searcher()
    samples = []
    for q in QUERIES:
        t = time.perf_counter()
        index.search(q, limit=10)
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def time_ours(index: SearchIndex, rounds: int) -> list[float]:
    for q in QUERIES:  # warm the searcher and caches
        index.search(q)
    samples = []
    for _ in range(rounds):
        for q in QUERIES:
            t = time.perf_counter()
            index.search(q, limit=10)
            samples.append((time.perf_counter() - t) * 1000)
    return samples


def time_fts5(docs: list[IndexDoc], rounds: int) -> tuple[list[float], float]:
    """The reference: an FTS5 table of the same jieba-segmented text, bm25-ranked, OR of the query's words."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE doc USING fts5(title, tags, body, tokenize='unicode61')")
    t = time.perf_counter()
    db.executemany("INSERT INTO doc VALUES (?, ?, ?)", (
        (" ".join(words(d.title)), " ".join(words(" ".join(d.tags))), " ".join(words(d.body))) for d in docs))
    build = time.perf_counter() - t
    samples = []
    for _ in range(rounds):
        for q in QUERIES:
            start = time.perf_counter()
            terms = words(q, query=True) or words(q)
            if terms:
                match = " OR ".join('"' + w.replace('"', '""') + '"' for w in terms)
                db.execute("SELECT rowid, snippet(doc, 2, '<mark>', '</mark>', '…', 20) FROM doc WHERE doc MATCH ? "
                           "ORDER BY bm25(doc, 4.0, 3.0, 1.0) LIMIT 10", (match,)).fetchall()
            samples.append((time.perf_counter() - start) * 1000)
    return samples, build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(index_dir: Path, db_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "KB_DATABASE_URL": db_url, "KB_INDEX_DIR": str(index_dir), "KB_SECRET_KEY": "bench"}
    return subprocess.Popen([sys.executable, "-m", "kb", "serve", "--port", str(port), "--workers", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def first_answer(port: int, timeout: float = 60) -> float:
    start = time.perf_counter()
    url = f"http://127.0.0.1:{port}/api/search?q=" + urllib.parse.quote("客户不说话")
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                json.loads(r.read())
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("server did not answer")


def throughput(port: int, seconds: float, threads: int = 8) -> float:
    urls = [f"http://127.0.0.1:{port}/api/search?q=" + urllib.parse.quote(q) for q in QUERIES]
    count = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(k: int) -> None:
        i = k
        while time.perf_counter() < stop:
            with urllib.request.urlopen(urls[i % len(urls)], timeout=10) as r:
                r.read()
            count[k] += 1
            i += 1

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(count) / (time.perf_counter() - started)


def run(size: int, base: list[IndexDoc], seconds: float, rounds: int) -> None:
    docs = synthetic(base, size)
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        tmp_path = Path(tmp)
        index = SearchIndex(tmp_path / "index")
        t = time.perf_counter()
        index.rebuild(docs)
        build = time.perf_counter() - t
        size_mb = dir_size(tmp_path / "index") / 1e6
        first = time_first(index)
        ours = time_ours(index, rounds)
        index.close()
        ref, ref_build = time_fts5(docs, rounds)
        p50, p95, p99 = percentiles(ours)
        r50, r95, r99 = percentiles(ref)
        print(f"\n== {size:,} articles")
        print(f"index build        {build:8.1f} s   ({size / build:,.0f} docs/s)   size {size_mb:.1f} MB")
        f50, f95, f99 = percentiles(first)
        print(f"search (ours)      p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   p99 {p99:6.2f} ms   ({len(ours)} searches)")
        print(f"  first time each  p50 {f50:6.2f} ms   p95 {f95:6.2f} ms   p99 {f99:6.2f} ms   (fresh searcher)")
        print(f"search (FTS5 ref)  p50 {r50:6.2f} ms   p95 {r95:6.2f} ms   p99 {r99:6.2f} ms   (build {ref_build:.1f} s)")
        print(f"ratio ours/FTS5    p50 {p50 / r50:6.1f}×     p95 {p95 / r95:6.1f}×")

        db_url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        migrate.upgrade(db_url)
        port = free_port()
        start = time.perf_counter()
        proc = serve(tmp_path / "index", db_url, port)
        try:
            first_answer(port)
            cold = time.perf_counter() - start
            rps = throughput(port, seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print(f"gunicorn 2 workers {rps:8.0f} searches/s over {seconds:.0f} s (8 client threads on the same machine)")
        print(f"cold start         {cold:8.2f} s   (process start → first search answered)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seconds", type=float, default=10.0, help="throughput measurement length")
    parser.add_argument("--rounds", type=int, default=10, help="passes over the query set")
    args = parser.parse_args()
    base = real_docs()
    print(f"{len(base)} real articles, {len(QUERIES)} queries, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    for size in args.sizes:
        run(size, base, args.seconds, args.rounds)


if __name__ == "__main__":
    main()
