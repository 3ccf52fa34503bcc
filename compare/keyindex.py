"""The ordered pass's index: key -> the drafts indexed under it, compact at 100,000 articles.

A Python dict of int keys costs about 75 bytes a key (its slot, its entry and the key's own int
object): 1.1 GB for the 14 million keys of 100,000 news-sized articles. Here the newest keys live
in such a dict, and every FLUSH_KEYS of them are merged into sorted numpy arrays (CSR: the keys,
where each key's postings start, the postings), about 16 bytes a key. A look-up reads both; the
drafts it finds, and how many keys name each, are the same as one dict's.
"""

from __future__ import annotations

import numpy as np

from . import settings


class KeyIndex:
    """key -> draft indexes, in the order they were added (see the module docstring)."""

    def __init__(self):
        self.flush = settings.FLUSH_KEYS
        # one draft as a bare int (most keys have one: a list each would double the dict), several as a list
        self.recent: dict[int, int | list[int]] = {}
        self.keys = np.empty(0, np.int64)  # sorted, unique
        self.starts = np.zeros(1, np.int64)  # key i's postings: postings[starts[i]:starts[i + 1]]
        self.postings = np.empty(0, np.int32)

    def add(self, keys, idx: int) -> None:
        """Index draft idx under each of keys."""
        recent = self.recent
        for key in keys:
            found = recent.get(key)
            if found is None:
                recent[key] = idx
            elif type(found) is int:
                recent[key] = [found, idx]
            else:
                found.append(idx)
        if len(recent) >= self.flush:
            self._merge()

    def counts(self, keys) -> dict[int, int]:
        """Each draft indexed under any of keys, with the number of those keys it is under."""
        counts: dict[int, int] = {}
        if len(self.keys) and keys:
            query = np.sort(np.fromiter(keys, np.int64, len(keys)))  # ascending: each search starts at the last
            at = np.searchsorted(self.keys, query)
            at = at[_found(self.keys, query, at)]
            starts = self.starts[at]
            lengths = self.starts[at + 1] - starts
            if total := int(lengths.sum()):
                # the found keys' postings end to end, counted at once: a common key's postings
                # run to thousands of drafts in a long story, too many to count one by one
                places = np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
                drafts, n = np.unique(self.postings[places], return_counts=True)
                counts = dict(zip(drafts.tolist(), n.tolist()))
        recent = self.recent
        for key in keys:
            found = recent.get(key)
            if found is None:
                continue
            for idx in (found,) if type(found) is int else found:
                counts[idx] = counts.get(idx, 0) + 1
        return counts

    def _merge(self) -> None:
        """The recent keys into the arrays: each key's new postings after its old ones."""
        new = np.fromiter(self.recent, np.int64, len(self.recent))
        order = np.argsort(new, kind="stable")
        new = new[order]
        lists = list(self.recent.values())
        self.recent = {}
        added = np.fromiter((1 if type(v) is int else len(v) for v in lists), np.int64, len(lists))[order]
        values = np.fromiter((i for j in order.tolist() for i in ((lists[j],) if type(lists[j]) is int else lists[j])),
                             np.int32, int(added.sum()))
        del lists
        at = np.searchsorted(self.keys, new)
        old = _found(self.keys, new, at)
        # the new postings go where their key's postings end (an old key) or would start (a new one)
        ends = np.where(old, self.starts[np.minimum(at + 1, len(self.keys))], self.starts[at])
        self.postings = np.insert(self.postings, np.repeat(ends, added), values)
        lengths = np.diff(self.starts)
        np.add.at(lengths, at[old], added[old])
        lengths = np.insert(lengths, at[~old], added[~old])
        self.keys = np.insert(self.keys, at[~old], new[~old])
        self.starts = np.concatenate(([0], np.cumsum(lengths)))


def _found(keys: np.ndarray, query: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Which of query (with its searchsorted places in keys, `at`) are in keys."""
    return keys[np.minimum(at, len(keys) - 1)] == query if len(keys) else np.zeros(len(query), bool)
