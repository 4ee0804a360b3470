"""Character n-gram TF-IDF in numpy: the retrieval stage of the taxonomy search.

scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` builds the ~160,000-label indexes about four
times slower; hashing n-grams of code points with a rolling hash in numpy keeps the start-up of
:mod:`matcher.taxonomy.search` near a second. ``tests/test_taxonomy_search.py`` checks the hashing
against a plain-Python version.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

#: Multiplier of the polynomial rolling hash of an n-gram's code points (wraps around in uint32).
HASH_MULTIPLIER = np.uint32(1_000_003)


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
        squares = (
            np.add.reduceat(np.append(weights * weights, 0.0), counts.indptr[:-1])
            if counts.nnz
            else np.zeros(counts.shape[0], np.float32)
        )
        squares[np.diff(counts.indptr) == 0] = 0.0  # reduceat copies the next value for empty rows
        norms = np.sqrt(squares, dtype=np.float32)
        norms[norms == 0] = 1.0
        weights /= np.repeat(norms, np.diff(counts.indptr))
        return sp.csr_matrix((weights, counts.indices, counts.indptr), shape=counts.shape)

    def _binary_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        rows, hashes = ngram_hashes(texts, self.ngram_range)
        columns = (hashes & np.uint32(self.n_features - 1)).astype(np.int32)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(texts))))).astype(np.int32)
        counts = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), columns, indptr), shape=(len(texts), self.n_features)
        )
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
        stop = max(size - n + 1, 0)
        code[:stop] = code[:stop] * HASH_MULTIPLIER + chars[n - 1 :]
        if n >= lowest:
            codes[:stop, n - lowest] = code[:stop]
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
        keep = np.argpartition(-row_values, m - 1)[:m] if stop - start > m else np.arange(stop - start)
        rows.append(np.full(len(keep), row, dtype=np.int64))
        columns.append(indices[start:stop][keep])
        values.append(row_values[keep])
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    return np.concatenate(rows), np.concatenate(columns).astype(np.int64), np.concatenate(values)


class WordTfidf:
    """TF-IDF over whole words (sublinear tf), words hashed into ``n_features`` buckets.

    scikit-learn's word ``TfidfVectorizer`` spends seconds building a vocabulary of the ~170,000
    labels; hashing needs none. Python's string hash is salted per process, which is fine for
    an index that lives in one process and is never saved.
    """

    def __init__(self, n_features: int = 2**20) -> None:
        self.n_features = n_features

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        counts = self._counts(texts)
        self.document_frequency_ = np.bincount(counts.indices, minlength=self.n_features)
        self.idf_ = (np.log((1.0 + len(texts)) / (1.0 + self.document_frequency_)) + 1.0).astype(np.float32)
        return self._weigh(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        if not hasattr(self, "idf_"):
            raise RuntimeError("This WordTfidf is not fitted yet; call fit_transform first.")
        return self._weigh(self._counts(texts))

    def _counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        words = [text.split() for text in texts]
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        mask = self.n_features - 1
        columns = np.fromiter((hash(w) & mask for ws in words for w in ws), dtype=np.int64, count=int(lengths.sum()))
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        counts = sp.csr_matrix(
            (np.ones(len(columns), np.float32), columns, indptr), shape=(len(texts), self.n_features)
        )
        counts.sum_duplicates()
        return counts

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        weighted = counts.copy()
        weighted.data = (1.0 + np.log(weighted.data)) * self.idf_[weighted.indices]
        from sklearn.preprocessing import normalize

        return normalize(weighted).astype(np.float32)
