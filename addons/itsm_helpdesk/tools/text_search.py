"""Words of a text for search, in Chinese as in English.

Chinese (like Japanese and Korean) is written without spaces: splitting on ``\\w+`` turns a whole
sentence into one "word" that nothing else matches. Runs of such characters are cut into their
overlapping pairs of characters (bigrams), the usual unit of CJK full-text search: "打印机坏了"
gives 打印, 印机, 机坏, 坏了 and shares 打印 and 印机 with "打印机无法打印怎么办". Other scripts
are split into words, lower-cased. The terms are stored per article and indexed by PostgreSQL as a
``tsvector`` of exact lexemes (``array_to_tsvector``), so no text search configuration of the
server, and no extension, is needed.
"""

import math
import re

# CJK ideographs (with extensions A and compatibility), kana, Hangul
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_WORD_LENGTH = 3
# longer "words" are encoded data, not words; PostgreSQL also refuses lexemes over 2 kB
MAX_WORD_LENGTH = 64
MAX_QUERY_TERMS = 16
STEM_LENGTH = 5
# English words too common to tell articles apart (the source language of the suite)
STOP_WORDS = frozenset(
    [
        "about",
        "and",
        "are",
        "can",
        "cannot",
        "does",
        "doesn",
        "for",
        "from",
        "has",
        "have",
        "how",
        "into",
        "not",
        "the",
        "this",
        "that",
        "what",
        "when",
        "where",
        "which",
        "why",
        "with",
        "wont",
        "you",
        "your",
    ]
)
# Chinese pairs that only frame a question ("my", "how", "what", "please") and match everything
CJK_STOP_BIGRAMS = frozenset(
    [
        "我的",
        "你的",
        "怎么",
        "么办",
        "什么",
        "如何",
        "请问",
        "你好",
        "一下",
        "可以",
        "一个",
        "我们",
        "你们",
        "为什",
        "是否",
        "了吗",
        "的时",
        "时候",
    ]
)


def _cjk_terms(run):
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def text_terms(text):
    """The distinct terms of ``text`` in their order: CJK bigrams and lower-cased words.

    Used for the documents: nothing is left out but words shorter than a query term can be.
    """
    text = (text or "").lower()
    terms = []
    for run in CJK_RUN.findall(text):
        terms += _cjk_terms(run)
    terms += (
        word
        for word in WORD.findall(CJK_RUN.sub(" ", text))
        if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH
    )
    return list(dict.fromkeys(terms))


def query_terms(query):
    """The distinct, meaningful terms of what a user typed: ``[(term, is_prefix)]``.

    Words match the start of a word ("connect" finds "connection", "nect" finds nothing); CJK
    bigrams match exactly. Stop words and question-framing bigrams are left out.
    """
    query = (query or "").lower()
    terms = {}
    for run in CJK_RUN.findall(query):
        for term in _cjk_terms(run):
            if term not in CJK_STOP_BIGRAMS:
                terms.setdefault(term, False)
    for word in WORD.findall(CJK_RUN.sub(" ", query)):
        if len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS:
            terms.setdefault(_stem(word), True)
    return list(terms.items())[:MAX_QUERY_TERMS]


def _stem(word):
    """A crude stem of a long word, so that "connection" finds "connect" and "printing" "printer"."""
    return word[: max(STEM_LENGTH, len(word) - 3)] if len(word) > STEM_LENGTH else word


def to_tsquery(terms):
    """The ``tsquery`` literal matching any of ``terms`` (exact lexemes, no parsing)."""
    return " | ".join(f"'{term}'{':*' if prefix else ''}" for term, prefix in terms)


def matched_terms(terms, document_terms):
    """How many of the query ``terms`` occur in the set of ``document_terms``."""
    count = 0
    for term, prefix in terms:
        if term in document_terms or (prefix and any(word.startswith(term) for word in document_terms)):
            count += 1
    return count


def is_relevant(terms, document_terms):
    """Whether a document sharing ``document_terms`` answers the query ``terms`` at all.

    One word of the query is enough; of its Chinese pairs of characters, a third must match, so
    that a Chinese sentence is not matched by a single common pair.
    """
    words = [(term, prefix) for term, prefix in terms if prefix]
    if words and matched_terms(words, document_terms):
        return True
    pairs = [(term, prefix) for term, prefix in terms if not prefix]
    return bool(pairs) and matched_terms(pairs, document_terms) >= math.ceil(len(pairs) / 3)
