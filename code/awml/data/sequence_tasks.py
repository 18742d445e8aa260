"""Generated sequence tasks with a known answer, for testing what a recurrent cell can
remember. These are toys, not data; the pages that use them say so.

- ``adding_problem`` (Hochreiter and Schmidhuber, 1997): a sequence of random values, two
  of them marked; the target is the sum of the two marked values, so the network must
  carry the first one across the whole sequence.
- ``reversal_task``: a sequence of tokens whose target is the same sequence reversed, the
  smallest task on which attention has something to look up.
"""

from __future__ import annotations

import numpy as np


def adding_problem(count: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return inputs (count, length, 2) float32 and targets (count,) float32.

    Channel 0 holds values uniform in [0, 1]; channel 1 marks two positions with 1: one in
    the first tenth of the sequence, one in the last half. The target is the sum of the
    two marked values; always answering 1 scores a mean squared error of about 0.167.
    """
    if count < 1 or length < 10:
        raise ValueError(f"need count >= 1 and length >= 10; got count={count}, "
                         f"length={length}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (count, length))
    marks = np.zeros((count, length))
    first = rng.integers(0, max(1, length // 10), count)
    second = rng.integers(length // 2, length, count)
    rows = np.arange(count)
    marks[rows, first] = 1
    marks[rows, second] = 1
    targets = values[rows, first] + values[rows, second]
    return np.stack([values, marks], axis=2).astype(np.float32), targets.astype(np.float32)


def reversal_task(count: int, length: int = 8, vocabulary: int = 10, seed: int = 0
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Return source tokens (count, length) and their reversal (count, length), int64.

    Tokens are uniform over ``vocabulary`` symbols.
    """
    if count < 1 or length < 2 or vocabulary < 2:
        raise ValueError(f"need count >= 1, length >= 2, vocabulary >= 2; got {count}, "
                         f"{length}, {vocabulary}")
    rng = np.random.default_rng(seed)
    source = rng.integers(0, vocabulary, (count, length))
    return source.astype(np.int64), source[:, ::-1].copy().astype(np.int64)
