"""The search index: a Whoosh index on disk with a lifecycle (create, rebuild, update one document, delete,
search) that can always be rebuilt from the database.

Each process keeps one searcher open and refreshes it when the index generation on disk changes, so a worker
sees updates written by another process (`kb sync`, another gunicorn worker) without a restart, and a request
never opens a searcher of its own. Writers take Whoosh's file lock with a timeout.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.query import Term
from whoosh.searching import Searcher

from kb.search import fields as F
from kb.search import query as Q
from kb.search.postings import PostingCache
from kb.search.scoring import weighting
from kb.search.snippets import make_snippet
from kb.search.topk import evaluate
from kb.search.synonyms import Synonyms, default_synonyms

INDEX_NAME = "kb"
VERSION_FILE = "kb_schema_version"
WRITER_TIMEOUT = 30.0
# Type weights: a call guide matches many words (everything the agent might say), so it would outrank the
# article that explains the situation; the article comes first, the guide right beside it.
TYPE_WEIGHTS = {"guide": 0.7}
PARALLEL_REBUILD_MIN = 1000


class IndexBusy(RuntimeError):
    """Another process holds the index write lock for longer than the timeout."""


@dataclass(frozen=True)
class IndexDoc:
    """What the index stores for one searchable item."""

    doc_id: str
    type: str
    slug: str
    title: str
    category: str
    tags: tuple[str, ...]
    summary: str
    body: str  # plain text
    url: str

    def fields(self) -> dict:
        return {
            F.DOC_ID: self.doc_id, F.TYPE: self.type, F.SLUG: self.slug, F.CATEGORY: self.category,
            F.URL: self.url, F.TITLE: self.title, F.TAGS: " ".join(self.tags), F.SUMMARY: self.summary,
            F.BODY: self.body, F.TITLE_NGRAMS: self.title, F.BODY_NGRAMS: f"{self.summary}\n{self.body}",
        }


@dataclass(frozen=True)
class SearchHit:
    type: str
    slug: str
    title: str
    category: str
    summary: str
    snippet: str  # HTML: escaped text with <mark> around matches
    url: str
    score: float


@dataclass
class SearchResults:
    query: str
    total: int
    took_ms: float
    results: list[SearchHit] = field(default_factory=list)


class SearchIndex:
    def __init__(self, path: str | Path, synonyms: Synonyms | None = None) -> None:
        self.path = Path(path)
        self.synonyms = synonyms or default_synonyms()
        self._ix: whoosh_index.Index | None = None
        self._searcher: Searcher | None = None
        self._lock = threading.RLock()
        self.searcher_opens = 0  # how many times this process opened a searcher (tests watch this)
        self.searcher_refreshes = 0
        self._filter_cache: dict[tuple, Any] = {}
        self._postings = PostingCache()

    # --- lifecycle -------------------------------------------------------------------------------------------

    def exists(self) -> bool:
        return whoosh_index.exists_in(str(self.path), indexname=INDEX_NAME) and self._version_ok()

    def create(self) -> None:
        """A new, empty index (an existing one at the path is discarded)."""
        with self._lock:
            self.close()
            if self.path.exists():
                shutil.rmtree(self.path)
            self.path.mkdir(parents=True)
            self._ix = whoosh_index.create_in(str(self.path), F.build_schema(), indexname=INDEX_NAME)
            (self.path / VERSION_FILE).write_text(F.SCHEMA_VERSION)

    def open(self) -> whoosh_index.Index:
        """The index, created empty when missing or built by an incompatible version."""
        with self._lock:
            if self._ix is None:
                if self.exists():
                    self._ix = whoosh_index.open_dir(str(self.path), indexname=INDEX_NAME)
                else:
                    self.create()
            return self._ix

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._postings.clear()
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def _version_ok(self) -> bool:
        try:
            return (self.path / VERSION_FILE).read_text().strip() == F.SCHEMA_VERSION
        except OSError:
            return False

    # --- writing ---------------------------------------------------------------------------------------------

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Replace the whole index with `docs`; returns how many were written."""
        docs = list(docs)
        with self._lock:
            self.create()
            procs = min(os.cpu_count() or 1, 4)
            if len(docs) >= PARALLEL_REBUILD_MIN and procs > 1:
                # Analysis (jieba) and posting encoding are pure Python: use every core for big rebuilds.
                writer = self.open().writer(procs=procs, limitmb=256, multisegment=True, timeout=WRITER_TIMEOUT)
            else:
                writer = self._writer()
            with writer:
                for doc in docs:
                    writer.add_document(**doc.fields())
            return len(docs)

    def update(self, docs: Iterable[IndexDoc] = (), delete: Iterable[str] = ()) -> None:
        """Add or replace `docs` and delete the documents whose ids are in `delete`, in one commit."""
        docs, delete = list(docs), list(delete)
        if not docs and not delete:
            return
        with self._writer() as writer:
            for doc_id in delete:
                writer.delete_by_term(F.DOC_ID, doc_id)
            for doc in docs:
                writer.update_document(**doc.fields())

    def _writer(self):
        try:
            return self.open().writer(timeout=WRITER_TIMEOUT)
        except LockError as exc:
            raise IndexBusy(f"索引正被其他进程写入，{WRITER_TIMEOUT:.0f} 秒内未释放") from exc

    # --- reading ---------------------------------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """This process's searcher, reopened when the index on disk has changed."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self.open().searcher(weighting=weighting())
                self.searcher_opens += 1
            elif not self._searcher.up_to_date():
                # Whoosh's refresh() reuses segment readers and misses deletions-only commits, and can leave
                # replaced segment files open; a fresh searcher after a change avoids both.
                self._searcher.close()
                self._searcher = None
                self._filter_cache.clear()
                self._postings.clear()
                self._searcher = self.open().searcher(weighting=weighting())
                self.searcher_refreshes += 1
            return self._searcher

    def doc_count(self) -> int:
        with self._lock:
            return self.searcher().doc_count()

    def doc_ids(self) -> set[str]:
        with self._lock:
            return {stored[F.DOC_ID] for stored in self.searcher().all_stored_fields()}

    def search(self, text: str, *, limit: int = 10, category: str | None = None, doc_type: str | None = None,
               typing: bool = True) -> SearchResults:
        """Search as an agent types. Never raises for odd input: an empty or unusable query gives no results."""
        started = time.perf_counter()
        parsed = Q.parse(text, typing=typing)
        results = SearchResults(query=parsed.text, total=0, took_ms=0.0)
        limit = max(1, min(int(limit), 100))
        if not parsed.empty:
            with self._lock:
                searcher = self.searcher()
                plan = Q.build(parsed, self.synonyms, searcher.reader())
                allowed = self._allowed(searcher, category, doc_type)
                top = evaluate(searcher, plan, limit, allowed, self._type_weights(searcher), self._postings)
                marks = Q.highlight_terms(parsed, self.synonyms)
                results.total = top.total
                for docnum, score in top.hits:
                    stored = searcher.stored_fields(docnum)
                    results.results.append(SearchHit(
                        type=stored[F.TYPE], slug=stored[F.SLUG], title=stored[F.TITLE],
                        category=stored[F.CATEGORY], summary=stored[F.SUMMARY],
                        snippet=make_snippet(stored[F.BODY], marks), url=stored[F.URL], score=round(score, 4)))
        results.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return results

    def _type_weights(self, searcher: Searcher) -> dict[int, float]:
        key = (id(searcher), "type-weights")
        cached = self._filter_cache.get(key)
        if cached is None:
            cached = {doc: factor for doc_type, factor in TYPE_WEIGHTS.items()
                      for doc in searcher.docs_for_query(Term(F.TYPE, doc_type))}
            self._filter_cache[key] = cached
        return cached

    def _allowed(self, searcher: Searcher, category: str | None, doc_type: str | None) -> frozenset[int] | None:
        """Docnums passing the filters, cached per searcher (filters are few, and reused all day)."""
        if not category and not doc_type:
            return None
        key = (id(searcher), category, doc_type)
        cached = self._filter_cache.get(key)
        if cached is None:
            docs: set[int] | None = None
            for name, value in ((F.CATEGORY, category), (F.TYPE, doc_type)):
                if value:
                    found = set(searcher.docs_for_query(Term(name, value)))
                    docs = found if docs is None else docs & found
            cached = frozenset(docs or ())
            if len(self._filter_cache) > 64:
                self._filter_cache.clear()
            self._filter_cache[key] = cached
        return cached
