"""Index field names and the Whoosh schema. Import names from here; never spell a field as a string literal."""
from __future__ import annotations

from whoosh.fields import ID, STORED, TEXT, Schema

from kb.search.analysis import CharNgramTokenizer, ChineseTokenizer

DOC_ID = "doc_id"  # "<type>:<slug>", unique
TYPE = "type"  # "article" (later: "guide")
SLUG = "slug"
CATEGORY = "category"
TITLE = "title"
TAGS = "tags"
SUMMARY = "summary"
BODY = "body"
TITLE_NGRAMS = "title_ng"
BODY_NGRAMS = "body_ng"
URL = "url"

# Bumped whenever the schema or the analysis changes: an index built by another version is rebuilt.
SCHEMA_VERSION = "2"  # 2: lists under a paragraph line are indexed as list text, without the dashes

WORD_FIELD_BOOSTS = {TITLE: 4.0, TAGS: 3.0, SUMMARY: 1.6, BODY: 1.0}
NGRAM_FIELD_BOOSTS = {TITLE_NGRAMS: 0.5, BODY_NGRAMS: 0.12}


def build_schema() -> Schema:
    words = ChineseTokenizer()
    grams = CharNgramTokenizer()
    return Schema(
        **{
            DOC_ID: ID(stored=True, unique=True),
            TYPE: ID(stored=True),
            SLUG: ID(stored=True),
            CATEGORY: ID(stored=True),
            URL: STORED(),
            TITLE: TEXT(analyzer=words, stored=True),
            TAGS: TEXT(analyzer=words, stored=True),
            SUMMARY: TEXT(analyzer=words, stored=True),
            BODY: TEXT(analyzer=words, stored=True),
            TITLE_NGRAMS: TEXT(analyzer=grams, phrase=False),
            BODY_NGRAMS: TEXT(analyzer=grams, phrase=False),
        }
    )
