"""Find the ESCO occupations and skills that a free-text title or competence phrase means.

Every preferred, alternative and hidden ESCO label (and the project's Flemish synonyms) is
normalised by :mod:`matcher.taxonomy.text` and indexed as a TF-IDF vector of character n-grams.
A query retrieves its nearest labels by cosine similarity (one sparse matrix product for a whole
batch); the best candidates are re-ranked with a rapidfuzz edit-distance ratio, weighted by the
kind of label that matched, and reduced to one hit per concept. ``benchmarks/taxonomy_accuracy.py``
holds the measurements that chose this blend over pure rapidfuzz and pure TF-IDF.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from .model import Occupation, Skill
from .text import JOB_AD_NOISE, compact, normalise_many

DATA_PACKAGE = "matcher.data"
SYNONYMS_FILE = "synonyms_nl.csv"

#: How much a match on each kind of label counts: ESCO's preferred label names the concept best,
#: hidden labels are misspellings and outdated names that ESCO keeps only to be found.
LABEL_WEIGHTS: dict[str, float] = {"preferred": 1.0, "alternative": 0.97, "synonym": 0.97, "hidden": 0.9}

#: Tie-break between labels of equal score: the more authoritative kind first.
KIND_RANK: dict[str, int] = {"preferred": 0, "alternative": 1, "synonym": 2, "hidden": 3}

METHODS = ("blend", "tfidf", "fuzz")
FUZZ_SCORERS = {
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "WRatio": fuzz.WRatio,
    "partial_ratio": fuzz.partial_ratio,
}

#: Multiplier of the polynomial rolling hash of an n-gram's code points (wraps around in uint32).
HASH_MULTIPLIER = np.uint32(1_000_003)


@dataclass(frozen=True, slots=True)
class Hit:
    """One concept found for a query.

    ``label`` is the concept's preferred label in the language of the label that matched (Dutch
    when a Dutch label matched, English if ESCO has no Dutch label); ``matched`` is the label
    variant that matched; ``score`` lies in [0, 1], 1 for an exact preferred-label match.
    """

    uri: str
    label: str
    score: float
    matched: str


class Label(NamedTuple):
    """One searchable name of a concept: its text, language and kind (preferred, alternative, ...).

    A named tuple rather than a dataclass: an index builds 100,000 of them and tuples are cheaper.
    """

    uri: str
    text: str
    lang: str
    kind: str


@dataclass(frozen=True, slots=True)
class Synonym:
    """A row of the synonyms table: a term ESCO lacks and the ESCO preferred label it means."""

    kind: str
    term: str
    target: str


# -- character n-gram TF-IDF --------------------------------------------------------------------
class CharNgramTfidf:
    """TF-IDF over hashed character n-grams, computed with numpy for all texts at once.

    scikit-learn's ``TfidfVectorizer(analyzer="char")`` does the same, but its analyzer runs in
    Python per text, which is too slow for the 130,000 skill labels; hashing code points with
    numpy makes the whole build a few array operations. Each text is padded with one space so
    that word starts and ends are n-grams of their own. Term frequency is binary.

    Parameters
    ----------
    ngram_range : (int, int)
        Smallest and largest n-gram length.
    n_features : int
        Number of hash buckets (a power of two).
    """

    def __init__(self, ngram_range: tuple[int, int] = (2, 4), n_features: int = 2**20) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn the document frequencies of ``texts``; return their L2-normalised TF-IDF rows."""
        counts = self._binary_counts(texts)
        self.document_frequency_ = np.bincount(counts.indices, minlength=self.n_features)
        self.idf_ = (np.log((1.0 + len(texts)) / (1.0 + self.document_frequency_)) + 1.0).astype(np.float32)
        return self._weigh(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised TF-IDF rows of ``texts`` with the frequencies learned by ``fit_transform``."""
        if not hasattr(self, "idf_"):
            raise RuntimeError("This CharNgramTfidf is not fitted yet; call fit_transform first.")
        return self._weigh(self._binary_counts(texts))

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        weights = self.idf_[counts.indices]
        squares = np.add.reduceat(np.append(weights * weights, 0.0), counts.indptr[:-1]) \
            if counts.nnz else np.zeros(counts.shape[0], np.float32)
        squares[np.diff(counts.indptr) == 0] = 0.0  # reduceat copies the next value for empty rows
        norms = np.sqrt(squares, dtype=np.float32)
        norms[norms == 0] = 1.0
        weights /= np.repeat(norms, np.diff(counts.indptr))
        return sp.csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape)

    def _binary_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        rows, hashes = ngram_hashes(texts, self.ngram_range)
        columns = (hashes & np.uint32(self.n_features - 1)).astype(np.int32)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(texts))))).astype(np.int32)
        counts = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), columns, indptr),
                               shape=(len(texts), self.n_features))
        counts.sum_duplicates()
        counts.data[:] = 1.0
        return counts


def ngram_hashes(texts: Sequence[str], ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Row number and 32-bit hash of every character n-gram of every space-padded text, by row.

    The hash of the n-gram at each position extends the hash of the (n-1)-gram there, over all
    texts joined into one code-point array; n-grams that run past the end of their text are
    dropped. Stacking the lengths as columns keeps the output ordered by text without a sort.
    """
    padded = [f" {text} " for text in texts]
    lengths = np.fromiter(map(len, padded), dtype=np.int32, count=len(padded))
    chars = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    size = len(chars)
    room = np.repeat(np.cumsum(lengths, dtype=np.int32), lengths) - np.arange(size, dtype=np.int32)
    lowest, highest = ngram_range
    codes = np.zeros((size, highest - lowest + 1), dtype=np.uint32)
    code = np.ones(size, dtype=np.uint32)
    for n in range(1, highest + 1):
        code[: size - n + 1] = code[: size - n + 1] * HASH_MULTIPLIER + chars[n - 1:]
        if n >= lowest:
            codes[: size - n + 1, n - lowest] = code[: size - n + 1]
    fits = room[:, np.newaxis] >= np.arange(lowest, highest + 1, dtype=np.int32)
    rows = np.repeat(np.arange(len(padded), dtype=np.int32), lengths)
    return np.broadcast_to(rows[:, np.newaxis], fits.shape)[fits], codes[fits]


def top_per_row(similarity: sp.csr_matrix, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and value of the ``m`` largest stored entries of every row of ``similarity``."""
    rows, columns, values = [], [], []
    indptr, indices, data = similarity.indptr, similarity.indices, similarity.data
    for row in range(similarity.shape[0]):
        start, stop = indptr[row], indptr[row + 1]
        row_values = data[start:stop]
        if stop - start > m:
            keep = np.argpartition(-row_values, m - 1)[:m]
        else:
            keep = np.arange(stop - start)
        rows.append(np.full(len(keep), row, dtype=np.int64))
        columns.append(indices[start:stop][keep])
        values.append(row_values[keep])
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    return np.concatenate(rows), np.concatenate(columns).astype(np.int64), np.concatenate(values)


# -- the index ----------------------------------------------------------------------------------
class LabelIndex:
    """Search over the labels of a set of ESCO concepts, one hit per concept.

    Parameters
    ----------
    noise : frozenset of str
        Words dropped from labels and queries alike (job-ad noise for titles, nothing for skills).
    method : {"blend", "tfidf", "fuzz"}
        "tfidf" ranks by n-gram cosine; "fuzz" by ``scorer`` over every label (slow, a baseline);
        "blend" retrieves ``candidates`` labels by cosine and ranks them by
        ``fuzz_weight * scorer + (1 - fuzz_weight) * cosine``.
    scorer : str
        rapidfuzz scorer applied to the space-free (compound-proof) normal forms.
    candidates : int
        Labels retrieved per query before re-ranking.
    fuzz_weight : float
        Share of the rapidfuzz score in the blended score.
    ngram_range : (int, int)
        Character n-gram lengths of the TF-IDF vectors.
    max_df : float
        Retrieval skips n-grams found in more than this share of labels (" ve", "er "): they add
        little to a cosine but make the query-label product dense. Candidates still get their
        exact cosine.

    Example
    -------
    >>> index = LabelIndex().fit([Label("u:1", "lasser", "nl", "preferred")])
    >>> index.search("lassers (m/v)")[0].uri
    'u:1'
    """

    def __init__(self, *, noise: frozenset[str] = JOB_AD_NOISE, method: str = "blend",
                 scorer: str = "ratio", candidates: int = 48, fuzz_weight: float = 0.5,
                 ngram_range: tuple[int, int] = (2, 4), max_df: float = 0.01) -> None:
        self.noise = noise
        self.method = method
        self.scorer = scorer
        self.candidates = candidates
        self.fuzz_weight = fuzz_weight
        self.ngram_range = ngram_range
        self.max_df = max_df

    def fit(self, labels: Iterable[Label]) -> LabelIndex:
        """Normalise and vectorise ``labels``, given in order of authority (preferred labels first).

        Of labels with the same concept and normal form only the first is kept, so a synonym
        that ESCO already has never hides ESCO's own label.
        """
        if self.method not in METHODS:
            raise ValueError(f"method={self.method!r} is not one of {METHODS}")
        if self.scorer not in FUZZ_SCORERS:
            raise ValueError(f"scorer={self.scorer!r} is not one of {sorted(FUZZ_SCORERS)}")
        labels = list(labels)
        forms = normalise_many([label.text for label in labels], noise=self.noise)
        compact_forms = [compact(form) for form in forms]
        kept = _first_per_concept_and_form([label.uri for label in labels], compact_forms)
        self.labels_ = [labels[i] for i in kept]
        self.forms_ = [compact_forms[i] for i in kept]
        self.concepts_ = sorted({label.uri for label in self.labels_})
        concept_number = {uri: i for i, uri in enumerate(self.concepts_)}
        self.label_concept_ = np.array([concept_number[label.uri] for label in self.labels_], dtype=np.int64)
        self.label_weight_ = np.array([LABEL_WEIGHTS[label.kind] for label in self.labels_], dtype=np.float32)
        self.label_rank_ = np.array([KIND_RANK[label.kind] for label in self.labels_], dtype=np.int64)
        self.preferred_ = _preferred_labels(self.labels_)
        self.vectorizer_ = CharNgramTfidf(self.ngram_range)
        self.label_vectors_ = self.vectorizer_.fit_transform([forms[i] for i in kept])
        self.retrieval_features_ = self.vectorizer_.document_frequency_ <= self.max_df * len(kept)
        self.retrieval_t_ = _keep_columns(self.label_vectors_, self.retrieval_features_).T.tocsr()
        return self

    def search(self, text: str, k: int = 10) -> list[Hit]:
        """The ``k`` concepts best matching ``text``, best first; [] for blank text."""
        return self.search_batch([text], k)[0]

    def search_batch(self, texts: Sequence[str], k: int = 10) -> list[list[Hit]]:
        """:meth:`search` for many texts at once: one matrix product and one re-ranking pass."""
        if not hasattr(self, "labels_"):
            raise RuntimeError("This LabelIndex is not fitted yet; call fit(labels) first.")
        forms = normalise_many(list(texts), noise=self.noise)
        queries, labels, scores = self._score(forms)
        return self._hits(len(forms), queries, labels, scores, k)

    # -- scoring ------------------------------------------------------------------------------
    def _score(self, forms: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Query number, label number and weighted score of every scored (query, label) pair."""
        if self.method == "fuzz":
            return self._score_fuzz(forms)
        query_vectors = self.vectorizer_.transform(forms)
        similarity = _keep_columns(query_vectors, self.retrieval_features_) @ self.retrieval_t_
        limit = self.candidates if self.method == "blend" else 4 * self.candidates
        queries, labels, _ = top_per_row(similarity.tocsr(), limit)
        cosine = np.asarray(query_vectors[queries].multiply(self.label_vectors_[labels]).sum(axis=1)).ravel()
        blended = np.clip(cosine, 0.0, 1.0).astype(np.float32)
        if self.method == "blend" and len(queries):
            query_forms = [compact(form) for form in forms]
            ratio = process.cpdist([query_forms[q] for q in queries], [self.forms_[i] for i in labels],
                                   scorer=FUZZ_SCORERS[self.scorer], workers=-1, dtype=np.float32) / 100.0
            blended = self.fuzz_weight * ratio + (1.0 - self.fuzz_weight) * blended
        return queries, labels, blended * self.label_weight_[labels]

    def _score_fuzz(self, forms: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        query_forms = [compact(form) for form in forms]
        limit = 4 * self.candidates
        queries, labels, scores = [], [], []
        for q, form in enumerate(query_forms):
            if not form:
                continue
            row = process.cdist([form], self.forms_, scorer=FUZZ_SCORERS[self.scorer],
                                workers=-1, dtype=np.float32)[0] / 100.0
            row *= self.label_weight_
            best = np.argpartition(-row, limit - 1)[:limit]
            queries.append(np.full(len(best), q))
            labels.append(best)
            scores.append(row[best])
        if not queries:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
        return np.concatenate(queries), np.concatenate(labels), np.concatenate(scores)

    def _hits(self, n_queries: int, queries: np.ndarray, labels: np.ndarray, scores: np.ndarray,
              k: int) -> list[list[Hit]]:
        """Best label per (query, concept), then the ``k`` best concepts per query, as hits."""
        concepts = self.label_concept_[labels]
        # Sort by query, score (desc), label kind, concept URI, label number: deterministic ties.
        order = np.lexsort((labels, concepts, self.label_rank_[labels], -scores, queries))
        queries, labels, scores, concepts = queries[order], labels[order], scores[order], concepts[order]
        pair = queries * len(self.concepts_) + concepts
        _, first = np.unique(pair, return_index=True)
        first.sort()
        results: list[list[Hit]] = [[] for _ in range(n_queries)]
        for i in first.tolist():
            hits = results[queries[i]]
            if len(hits) < k:
                hits.append(self._hit(int(labels[i]), float(scores[i])))
        return results

    def _hit(self, label_number: int, score: float) -> Hit:
        label = self.labels_[label_number]
        preferred = self.preferred_[label.uri]
        name = preferred.get(label.lang) or preferred.get("en") or next(iter(preferred.values()))
        return Hit(uri=label.uri, label=name, score=min(max(score, 0.0), 1.0), matched=label.text)


def _keep_columns(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """``matrix`` with the entries outside the boolean column mask ``keep`` removed."""
    mask = keep[matrix.indices]
    indptr = np.concatenate(([0], np.cumsum(mask)))[matrix.indptr]
    return sp.csr_matrix((matrix.data[mask], matrix.indices[mask], indptr), shape=matrix.shape)


def _first_per_concept_and_form(uris: Sequence[str], forms: Sequence[str]) -> list[int]:
    """Indices of the first label of each (concept, normal form), in order; empty forms dropped."""
    last = len(uris) - 1
    first = dict(zip(zip(reversed(uris), reversed(forms)), range(last, -1, -1)))
    return sorted(i for (_, form), i in first.items() if form)


def _preferred_labels(labels: Iterable[Label]) -> dict[str, dict[str, str]]:
    """Preferred label per concept and language; a concept without one keeps its first label."""
    preferred: dict[str, dict[str, str]] = {}
    for label in labels:
        names = preferred.setdefault(label.uri, {})
        if label.kind == "preferred" or not names:
            names.setdefault(label.lang, label.text)
    return preferred


# -- labels of ESCO concepts ----------------------------------------------------------------------
def occupation_labels(occupations: Iterable[Occupation]) -> list[Label]:
    """Dutch and English preferred, then alternative, then hidden labels of each occupation."""
    labels = []
    for occ in occupations:
        labels.extend(Label(occ.uri, text, lang, "preferred")
                      for lang, text in (("nl", occ.label_nl), ("en", occ.label_en)) if text)
        labels.extend(Label(occ.uri, text, "nl", "alternative") for text in occ.alt_labels_nl)
        labels.extend(Label(occ.uri, text, "en", "alternative") for text in occ.alt_labels_en)
        labels.extend(Label(occ.uri, text, "nl", "hidden") for text in occ.hidden_labels_nl)
        labels.extend(Label(occ.uri, text, "en", "hidden") for text in occ.hidden_labels_en)
    return labels


def skill_labels(skills: Iterable[Skill]) -> list[Label]:
    """Preferred labels (Dutch where ESCO has one, English) and English alternatives of each skill."""
    labels = []
    for skill in skills:
        if skill.label_nl:
            labels.append(Label(skill.uri, skill.label_nl, "nl", "preferred"))
        labels.append(Label(skill.uri, skill.label_en, "en", "preferred"))
        labels.extend(Label(skill.uri, text, "en", "alternative") for text in skill.alt_labels_en)
    return labels


# -- synonyms -------------------------------------------------------------------------------------
def read_synonyms(path: Path | None = None) -> list[Synonym]:
    """Rows of the synonyms table (the packaged ``synonyms_nl.csv`` unless ``path`` is given)."""
    if path is None:
        text = resources.files(DATA_PACKAGE).joinpath(SYNONYMS_FILE).read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [Synonym(kind=row["kind"], term=row["term"], target=row["esco_label"])
            for row in csv.DictReader(io.StringIO("\n".join(lines)))]


def synonym_labels(synonyms: Iterable[Synonym], kind: str, labels: Sequence[Label]) -> list[Label]:
    """Synonyms of ``kind`` as extra Dutch labels of the concept whose preferred label they name.

    Raises ValueError naming the row when a target is not the preferred label of exactly one
    concept, so that a typo in the table fails loudly instead of silently finding nothing.
    """
    by_preferred: dict[str, set[str]] = {}
    for label in labels:
        if label.kind == "preferred":
            by_preferred.setdefault(label.text, set()).add(label.uri)
    extra = []
    for synonym in synonyms:
        if synonym.kind != kind:
            continue
        uris = by_preferred.get(synonym.target, set())
        if len(uris) != 1:
            raise ValueError(f"synonym {synonym.term!r}: ESCO {kind} label {synonym.target!r} names "
                             f"{len(uris)} concepts, expected exactly 1")
        extra.append(Label(next(iter(uris)), synonym.term, "nl", "synonym"))
    return extra


# -- builders the Taxonomy calls ------------------------------------------------------------------
def build_occupation_index(occupations: Iterable[Occupation],
                           synonyms: Iterable[Synonym] | None = None, **options: object) -> LabelIndex:
    """A :class:`LabelIndex` over occupation labels plus the occupation rows of the synonyms table."""
    labels = occupation_labels(occupations)
    labels += synonym_labels(read_synonyms() if synonyms is None else synonyms, "occupation", labels)
    return LabelIndex(noise=JOB_AD_NOISE, **options).fit(labels)  # type: ignore[arg-type]


def build_skill_index(skills: Iterable[Skill],
                      synonyms: Iterable[Synonym] | None = None, **options: object) -> LabelIndex:
    """A :class:`LabelIndex` over skill labels plus the skill rows of the synonyms table."""
    labels = skill_labels(skills)
    labels += synonym_labels(read_synonyms() if synonyms is None else synonyms, "skill", labels)
    return LabelIndex(noise=frozenset(), **options).fit(labels)  # type: ignore[arg-type]
