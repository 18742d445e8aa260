"""Submission files: one checked float column in Parquet; every bad file gets one clear line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from awml.labs.parquet_submission import check_submission, write_submission


def test_a_good_submission_round_trips(tmp_path):
    path = write_submission(np.array([0.1, 0.9, 0.5], np.float32), "probability", 3,
                            tmp_path / "sub.parquet", 0.0, 1.0)
    frame = pd.read_parquet(path)
    assert list(frame.columns) == ["probability"] and frame["probability"].dtype == np.float64
    assert frame["probability"].tolist() == pytest.approx([0.1, 0.9, 0.5])


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"p": [0.5, 0.5]}), r"columns \['p'\]; expected \['probability'\]"),
    (pd.DataFrame({"probability": [0.5]}), "has 1 rows; expected 2"),
    (pd.DataFrame({"probability": ["a", "b"]}), r"has dtype \w+; expected float64"),
    (pd.DataFrame({"probability": [0.5, np.nan]}), "1 missing or infinite values"),
    (pd.DataFrame({"probability": [0.5, 1.2]}), r"1 values outside \[0.0, 1.0\] \(row 1"),
    ([0.5, 0.5], "submission is a list; expected a pandas DataFrame"),
])
def test_bad_submissions_get_one_clear_error(frame, message):
    with pytest.raises(ValueError, match=message) as error:
        check_submission(frame, "probability", 2, 0.0, 1.0)
    assert "\n" not in str(error.value)


def test_nothing_is_written_when_a_check_fails(tmp_path):
    target = tmp_path / "sub.parquet"
    with pytest.raises(ValueError, match="shape"):
        write_submission(np.zeros((2, 2)), "temperature", 4, target)
    with pytest.raises(ValueError, match="has 3 rows; expected 4"):
        write_submission([1.0, 2.0, 3.0], "temperature", 4, target)
    with pytest.raises(ValueError, match="dtype <U1; expected numbers"):
        write_submission(["a", "b"], "temperature", 2, target)
    assert not target.exists()
