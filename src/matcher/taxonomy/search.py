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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from sklearn.preprocessing import normalize

from .model import DATA_PACKAGE, Occupation, Skill
from .ngrams import CharNgramTfidf, WordTfidf, top_per_row
from .text import JOB_AD_NOISE, compact, normalise_many

SYNONYMS_FILE = "synonyms_nl.csv"

#: How much a match on each kind of label counts. ESCO's preferred label names the concept best;
#: a synonym from our table is a Flemish usage checked by hand, so it outranks an ESCO
#: alternative label that happens to be the same word ("poetshulp", "metser"); hidden labels are
#: misspellings and outdated names that ESCO keeps only to be found.
LABEL_WEIGHTS: dict[str, float] = {"preferred": 1.0, "synonym": 0.98, "alternative": 0.97, "hidden": 0.9}

#: Tie-break between labels of equal score: the more authoritative kind first.
KIND_RANK: dict[str, int] = {"preferred": 0, "synonym": 1, "alternative": 2, "hidden": 3}

METHODS = ("blend", "tfidf", "fuzz")
#: Re-ranking scorers. "compact_ratio" is ``fuzz.ratio`` on the forms without spaces, so that a
#: Dutch compound ("heftruckchauffeur") and its spaced form ("heftruck chauffeur") score 100;
#: "compact_token_set" averages it with ``token_set_ratio``, which rewards a short phrase whose
#: words all occur in the label ("HACCP" in "apply HACCP"); the others are rapidfuzz scorers
#: applied to the spaced normal forms.
FUZZ_SCORERS = {
    "compact_ratio": fuzz.ratio,
    "compact_token_set": fuzz.token_set_ratio,
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "WRatio": fuzz.WRatio,
    "partial_ratio": fuzz.partial_ratio,
}

#: Queries per rapidfuzz call when scanning every label (a block of 128 × 100k labels is 50 MB).
FUZZ_BLOCK = 128

#: Retrieval keeps every n-gram found in at most this many labels, however small the index.
RETRIEVAL_MIN_DF = 64

#: Queries of at most this many words whose best score stays weak get the edit-distance scan.
RESCUE_MAX_WORDS = 3


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


# -- the index ------------------------------------------------------------------------------------
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
        Re-ranking scorer, a key of ``FUZZ_SCORERS``.
    candidates : int
        Labels retrieved per query before re-ranking.
    fuzz_weight : float
        Share of the rapidfuzz score in the blended score.
    ngram_range : (int, int)
        Character n-gram lengths of the TF-IDF vectors.
    max_df : float
        Retrieval skips n-grams found in more than this share of labels (" ve", "er ") and in
        more than ``RETRIEVAL_MIN_DF`` labels: they add little to a cosine but make the
        query-label product dense. Candidates still get their exact cosine.
    rescue_below : float
        With "blend", a query whose best blended score stays below this is retrieved a second
        time by ``scorer`` over every label and the labels found are scored the same way. A typo
        in a short word ("poljisten") shares few n-grams with the label it means, so n-gram
        retrieval can miss it; an edit distance does not. Only weak queries pay for the scan.
    concept_weight : float
        With "blend", weight of the cosine between the query and the concept's document (all
        its labels in every language, summed): a query that matches parts of several labels of
        one concept ("Eigenschappen van edelmetalen") gathers evidence no single label gives.
    word_weight : float
        With "blend", weight of a word-level TF-IDF cosine with the label: rare whole words
        ("HACCP", "heftruck") count more than shared common n-grams.
        Both fill part of what the label match leaves open: ``b + (1 - b) * (cw * concept + ww * word)``.

    Example
    -------
    >>> index = LabelIndex().fit([Label("u:1", "lasser", "nl", "preferred")])
    >>> index.search("lassers (m/v)")[0].uri
    'u:1'
    """

    def __init__(
        self,
        *,
        noise: frozenset[str] = JOB_AD_NOISE,
        method: str = "blend",
        scorer: str = "compact_ratio",
        candidates: int = 48,
        fuzz_weight: float = 0.5,
        ngram_range: tuple[int, int] = (2, 4),
        max_df: float = 0.01,
        rescue_below: float = 0.7,
        concept_weight: float = 0.4,
        word_weight: float = 0.3,
    ) -> None:
        self.noise = noise
        self.method = method
        self.scorer = scorer
        self.candidates = candidates
        self.fuzz_weight = fuzz_weight
        self.ngram_range = ngram_range
        self.max_df = max_df
        self.rescue_below = rescue_below
        self.concept_weight = concept_weight
        self.word_weight = word_weight

    def fit(self, labels: Iterable[Label]) -> LabelIndex:
        """Normalise and vectorise ``labels``; labels whose normal form is empty are dropped."""
        if self.method not in METHODS:
            raise ValueError(f"method={self.method!r} is not one of {METHODS}")
        if self.scorer not in FUZZ_SCORERS:
            raise ValueError(f"scorer={self.scorer!r} is not one of {sorted(FUZZ_SCORERS)}")
        labels = list(labels)
        forms = normalise_many([label.text for label in labels], noise=self.noise)
        kept = [i for i, form in enumerate(forms) if form]
        self.labels_ = [labels[i] for i in kept]
        self.forms_ = [forms[i] for i in kept]
        self.compact_forms_ = [compact(form) for form in self.forms_]
        # Labels by compact form: a query that is exactly a label ("communication") is always a
        # candidate, even when all its n-grams are too common for the retrieval stage to use.
        self.exact_: dict[str, list[int]] = {}
        for i, form in enumerate(self.compact_forms_):
            self.exact_.setdefault(form, []).append(i)
        self.concepts_ = sorted({label.uri for label in self.labels_})
        concept_number = {uri: i for i, uri in enumerate(self.concepts_)}
        self.label_concept_ = np.array([concept_number[label.uri] for label in self.labels_], dtype=np.int64)
        self.label_weight_ = np.array([LABEL_WEIGHTS[label.kind] for label in self.labels_], dtype=np.float32)
        self.label_rank_ = np.array([KIND_RANK[label.kind] for label in self.labels_], dtype=np.int64)
        self.preferred_ = _preferred_labels(self.labels_)
        self.vectorizer_ = CharNgramTfidf(self.ngram_range)
        self.label_vectors_ = self.vectorizer_.fit_transform(self.forms_)
        common = max(self.max_df * len(kept), RETRIEVAL_MIN_DF)
        self.retrieval_features_ = self.vectorizer_.document_frequency_ <= common
        restricted = _keep_columns(self.label_vectors_, self.retrieval_features_)
        self.retrieval_t_ = restricted.T.tocsr()
        membership = sp.csr_matrix(
            (np.ones(len(kept), np.float32), (self.label_concept_, np.arange(len(kept)))),
            shape=(len(self.concepts_), len(kept)),
        )
        # Rare n-grams only: the concept documents stay sparse, so the pair products stay cheap.
        self.concept_vectors_ = normalize(membership @ restricted).astype(np.float32)
        self.word_vectorizer_ = WordTfidf()
        self.word_vectors_ = self.word_vectorizer_.fit_transform(self.forms_)
        return self

    def search(self, text: str, k: int = 10) -> list[Hit]:
        """The ``k`` concepts best matching ``text``, best first; [] for blank text."""
        return self.search_batch([text], k)[0]

    def search_batch(self, texts: Sequence[str], k: int = 10, rescue_words: int | None = None) -> list[list[Hit]]:
        """:meth:`search` for many texts at once: one matrix product and one re-ranking pass.

        ``rescue_words`` overrides ``RESCUE_MAX_WORDS``, the longest query (in words) that gets the
        edit-distance scan when its best score is weak; extraction passes 1 for its many windows.
        """
        if not hasattr(self, "labels_"):
            raise RuntimeError("This LabelIndex is not fitted yet; call fit(labels) first.")
        forms = normalise_many(list(texts), noise=self.noise)
        queries, labels, scores = self._score(forms, k, RESCUE_MAX_WORDS if rescue_words is None else rescue_words)
        return self._hits(len(forms), queries, labels, scores, k)

    # -- scoring ------------------------------------------------------------------------------
    def _score(self, forms: list[str], k: int, rescue_words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Query number, label number and weighted score of every scored (query, label) pair."""
        compacts = [compact(form) for form in forms]  # once per query, not per (query, label) pair
        if self.method == "fuzz":
            return self._score_fuzz(forms, compacts, k)
        query_vectors = self.vectorizer_.transform(forms)
        similarity = _keep_columns(query_vectors, self.retrieval_features_) @ self.retrieval_t_
        limit = max(self.candidates if self.method == "blend" else 4 * self.candidates, 2 * k)
        queries, labels, _ = top_per_row(similarity.tocsr(), limit)
        queries, labels = self._with_exact(compacts, queries, labels)
        scores = self._blend(forms, compacts, query_vectors, queries, labels)
        if self.method != "blend":
            return queries, labels, scores
        best = np.zeros(len(forms), dtype=np.float32)
        np.maximum.at(best, queries, scores)
        # Only short queries are rescued: the edit-distance scan is there for a typo in a word or
        # two ("poljisten"); a longer weak query is a paraphrase, which a scan does not find either.
        short = np.array([0 < len(form.split()) <= rescue_words for form in forms], dtype=bool)
        weak = np.flatnonzero((best < self.rescue_below) & short)
        if len(weak):
            rescued, extra, _ = self._score_fuzz([forms[q] for q in weak], [compacts[q] for q in weak], k)
            rescued = weak[rescued]
            queries, labels = np.concatenate([queries, rescued]), np.concatenate([labels, extra])
            scores = np.concatenate([scores, self._blend(forms, compacts, query_vectors, rescued, extra)])
        return queries, labels, scores

    def _with_exact(
        self, compacts: list[str], queries: np.ndarray, labels: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``queries``/``labels`` plus every (query, label) pair whose compact forms are equal."""
        found = [(q, i) for q, form in enumerate(compacts) for i in self.exact_.get(form, ())]
        if not found:
            return queries, labels
        extra = np.array(found, dtype=np.int64)
        return np.concatenate([queries, extra[:, 0]]), np.concatenate([labels, extra[:, 1]])

    def _blend(
        self,
        forms: list[str],
        compacts: list[str],
        query_vectors: sp.csr_matrix,
        queries: np.ndarray,
        labels: np.ndarray,
    ) -> np.ndarray:
        """Weighted score of (query, label) pairs: their cosine, blended with ``scorer`` for "blend"."""
        cosine = np.asarray(query_vectors[queries].multiply(self.label_vectors_[labels]).sum(axis=1)).ravel()
        blended = np.clip(cosine, 0.0, 1.0).astype(np.float32)
        if self.method == "blend" and len(queries):
            pairs, pair_of = np.unique(queries * len(self.concepts_) + self.label_concept_[labels], return_inverse=True)
            restricted = _keep_columns(query_vectors, self.retrieval_features_)
            concept = np.asarray(
                restricted[pairs // len(self.concepts_)]
                .multiply(self.concept_vectors_[pairs % len(self.concepts_)])
                .sum(axis=1)
            ).ravel()[pair_of]
            asked, position = np.unique(queries, return_inverse=True)
            words = self.word_vectorizer_.transform([forms[q] for q in asked])[position]
            word = np.asarray(words.multiply(self.word_vectors_[labels]).sum(axis=1)).ravel()
            ratio = self._fuzz(
                process.cpdist,
                [forms[q] for q in queries],
                [compacts[q] for q in queries],
                [self.forms_[i] for i in labels],
                [self.compact_forms_[i] for i in labels],
            )
            blended = self.fuzz_weight * ratio + (1.0 - self.fuzz_weight) * blended
            # The extra evidence fills part of what the label match leaves open, so an exact
            # match stays 1 and the scale of the acceptance thresholds stays put.
            blended = blended + (1.0 - blended) * (self.concept_weight * concept + self.word_weight * word)
        return blended * self.label_weight_[labels]

    def _score_fuzz(self, forms: list[str], compacts: list[str], k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Query number, label number and weighted ``scorer`` score of each query's best labels of all."""
        limit = min(max(4 * self.candidates, 2 * k), len(self.forms_))
        asked = np.array([q for q, form in enumerate(forms) if form], dtype=np.int64)
        queries, labels, scores = [np.empty(0, np.int64)], [np.empty(0, np.int64)], [np.empty(0, np.float32)]
        for start in range(0, len(asked), FUZZ_BLOCK):  # one rapidfuzz call per block: calls are what cost
            block = asked[start : start + FUZZ_BLOCK]
            matrix = self._fuzz(
                process.cdist, [forms[q] for q in block], [compacts[q] for q in block], self.forms_, self.compact_forms_
            )
            matrix *= self.label_weight_
            best = np.argpartition(-matrix, limit - 1, axis=1)[:, :limit]
            queries.append(np.repeat(block, limit))
            labels.append(best.ravel())
            scores.append(np.take_along_axis(matrix, best, axis=1).ravel())
        return np.concatenate(queries), np.concatenate(labels), np.concatenate(scores)

    def _fuzz(
        self,
        kernel: Callable[..., np.ndarray],
        queries: list[str],
        compact_queries: list[str],
        labels: list[str],
        compact_labels: list[str],
    ) -> np.ndarray:
        """``kernel`` (rapidfuzz ``cpdist`` or ``cdist``) of the chosen scorer, scaled to [0, 1]; the
        ``compact_`` lists are the same strings without spaces (:func:`compact`)."""
        if self.scorer == "compact_ratio":
            scores = kernel(compact_queries, compact_labels, scorer=fuzz.ratio, workers=-1, dtype=np.float32)
        else:
            scores = kernel(queries, labels, scorer=FUZZ_SCORERS[self.scorer], workers=-1, dtype=np.float32)
            if self.scorer == "compact_token_set":
                scores = (
                    scores + kernel(compact_queries, compact_labels, scorer=fuzz.ratio, workers=-1, dtype=np.float32)
                ) / 2
        return scores / 100.0

    def _hits(
        self, n_queries: int, queries: np.ndarray, labels: np.ndarray, scores: np.ndarray, k: int
    ) -> list[list[Hit]]:
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
        preferred = self.preferred_.get(label.uri, {})  # a concept without one is named by its label
        name = preferred.get(label.lang) or preferred.get("en") or next(iter(preferred.values()), label.text)
        return Hit(uri=label.uri, label=name, score=min(max(score, 0.0), 1.0), matched=label.text)


def _keep_columns(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """``matrix`` with the entries outside the boolean column mask ``keep`` removed."""
    mask = keep[matrix.indices]
    indptr = np.concatenate(([0], np.cumsum(mask)))[matrix.indptr]
    return sp.csr_matrix((matrix.data[mask], matrix.indices[mask], indptr), shape=matrix.shape)


def _preferred_labels(labels: Iterable[Label]) -> dict[str, dict[str, str]]:
    """Preferred label per concept and language (first one wins)."""
    preferred: dict[str, dict[str, str]] = {}
    for label in labels:
        if label.kind == "preferred":
            preferred.setdefault(label.uri, {}).setdefault(label.lang, label.text)
    return preferred


# -- labels of ESCO concepts ----------------------------------------------------------------------
def occupation_labels(occupations: Iterable[Occupation]) -> list[Label]:
    """Dutch, English and French preferred, then alternative, then hidden labels of each occupation."""
    labels: list[Label] = []
    for occ in occupations:
        labels.extend(
            Label(occ.uri, text, lang, "preferred")
            for lang, text in (("nl", occ.label_nl), ("en", occ.label_en), ("fr", occ.label_fr))
            if text
        )
        for lang, alt, hidden in (
            ("nl", occ.alt_labels_nl, occ.hidden_labels_nl),
            ("en", occ.alt_labels_en, occ.hidden_labels_en),
            ("fr", occ.alt_labels_fr, occ.hidden_labels_fr),
        ):
            labels.extend(Label(occ.uri, text, lang, "alternative") for text in alt)
            labels.extend(Label(occ.uri, text, lang, "hidden") for text in hidden)
    return labels


def skill_labels(skills: Iterable[Skill]) -> list[Label]:
    """Every label ESCO has of each skill: preferred, alternative and hidden, in Dutch, English and French."""
    labels: list[Label] = []
    for skill in skills:
        labels.extend(
            Label(skill.uri, text, lang, "preferred")
            for lang, text in (("nl", skill.label_nl), ("en", skill.label_en), ("fr", skill.label_fr))
            if text
        )
        labels.extend(Label(skill.uri, text, "nl", "alternative") for text in skill.alt_labels_nl)
        labels.extend(Label(skill.uri, text, "en", "alternative") for text in skill.alt_labels_en)
        labels.extend(Label(skill.uri, text, "fr", "alternative") for text in skill.alt_labels_fr)
        labels.extend(Label(skill.uri, text, "en", "hidden") for text in skill.hidden_labels_en)
    return labels


# -- synonyms -------------------------------------------------------------------------------------
def read_synonyms(path: Path | None = None) -> list[Synonym]:
    """Rows of the synonyms table (the packaged ``synonyms_nl.csv`` unless ``path`` is given)."""
    if path is None:
        text = resources.files(DATA_PACKAGE).joinpath(SYNONYMS_FILE).read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [
        Synonym(kind=row["kind"], term=row["term"], target=row["esco_label"])
        for row in csv.DictReader(io.StringIO("\n".join(lines)))
    ]


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
            raise ValueError(
                f"synonym {synonym.term!r}: ESCO {kind} label {synonym.target!r} names "
                f"{len(uris)} concepts, expected exactly 1"
            )
        extra.append(Label(next(iter(uris)), synonym.term, "nl", "synonym"))
    return extra


# -- builders the Taxonomy calls ------------------------------------------------------------------
def build_occupation_index(
    occupations: Iterable[Occupation], synonyms: Iterable[Synonym] | None = None, **options: object
) -> LabelIndex:
    """A :class:`LabelIndex` over occupation labels plus the occupation rows of the synonyms table."""
    return _build_index(occupation_labels(occupations), "occupation", JOB_AD_NOISE, synonyms, options)


def build_skill_index(
    skills: Iterable[Skill], synonyms: Iterable[Synonym] | None = None, **options: object
) -> LabelIndex:
    """A :class:`LabelIndex` over skill labels plus the skill rows of the synonyms table."""
    return _build_index(skill_labels(skills), "skill", frozenset(), synonyms, options)


def _build_index(
    labels: list[Label],
    kind: str,
    noise: frozenset[str],
    synonyms: Iterable[Synonym] | None,
    options: dict[str, object],
) -> LabelIndex:
    """A :class:`LabelIndex` with ``noise`` over ``labels`` plus the ``kind`` rows of the synonyms table."""
    labels += synonym_labels(read_synonyms() if synonyms is None else synonyms, kind, labels)
    return LabelIndex(noise=noise, **options).fit(labels)  # type: ignore[arg-type]
