"""The three paths of run-or-load, and the refusals, on a local store and on S3 (moto)."""

import json
import logging
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from awml.runs import RunResult, run_or_load
from awml.runs.store import LocalStore, S3Store

CONFIGS = {"smoke": {"n": 1}, "cpu": {"n": 2}, "gpu": {"n": 3}}
calls = []


def compute(config):
    calls.append(config["n"])
    return RunResult(metrics={"n": config["n"]}, history={"loss": [1.0, 0.5]},
                     arrays={"values": np.arange(config["n"])}, extra={"note": "made"})


def run(store, profile, **options):
    return run_or_load("toy", CONFIGS, compute, profile=profile, store=store,
                       instance="ml.g4dn.4xlarge", **options)


@pytest.fixture(autouse=True)
def reset_calls():
    calls.clear()


def test_cpu_runs_its_profile_and_says_it_is_a_preview(store):
    result = run(store, "cpu")
    assert calls == [2] and result.shows == "cpu" and not result.loaded
    assert result.metrics == {"n": 2}
    assert "a CPU preview" in result.badge_html()
    again = run(store, "cpu")
    assert calls == [2] and again.loaded and again.shows == "cpu"
    np.testing.assert_array_equal(again.arrays["values"], [0, 1])


def test_cpu_build_loads_a_matching_gpu_run_and_labels_it(store):
    run(store, "gpu")
    assert calls == [3]
    result = run(store, "cpu")
    assert calls == [3], "the cpu profile must not run when a gpu run matches"
    assert result.shows == "gpu-recorded" and result.metrics == {"n": 3}
    assert "a recorded GPU run" in result.badge_html()
    assert 'data-awml-shows="gpu-recorded"' in result.badge_html()


def test_tampered_artifact_is_refused_in_one_line_and_recomputed(store, caplog):
    run(store, "gpu")
    (folder,) = [store.root / key for key in store.keys("gpu")]
    (folder / "metrics.json").write_text(json.dumps({"n": 1000}))
    with caplog.at_level(logging.WARNING):
        result = run(store, "cpu")
    assert result.shows == "cpu" and result.metrics == {"n": 2} and calls == [3, 2]
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1 and "\n" not in refusals[0]
    assert "sha256 of metrics.json does not match" in refusals[0]
    assert refusals[0] in result.badge_html() or "sha256" in " ".join(result.notes)


def test_changed_code_refuses_the_stored_run_and_recomputes(store, monkeypatch, caplog):
    run(store, "smoke")
    import importlib

    module = importlib.import_module("awml.runs.run_or_load")

    monkeypatch.setattr(module, "code_fingerprint", lambda roots: "0" * 64)
    with caplog.at_level(logging.WARNING):
        result = run(store, "smoke")
    assert calls == [1, 1] and not result.loaded
    assert any("code_fingerprint differs" in r.getMessage() for r in caplog.records)


def test_rerun_computes_even_when_stored(store):
    run(store, "smoke")
    run(store, "smoke", rerun=True)
    assert calls == [1, 1]


def test_configs_must_cover_every_profile(store):
    with pytest.raises(ValueError, match=r"lack profiles \['gpu'\]"):
        run_or_load("toy", {"smoke": {}, "cpu": {}}, compute, store=store)


def test_compute_must_return_a_run_result(store):
    with pytest.raises(TypeError, match="returned dict, expected a RunResult"):
        run_or_load("toy", CONFIGS, lambda config: {}, profile="smoke", store=store,
                    modules=["awml.runs"])


def test_weights_round_trip_with_weights_only_loading(store):
    import torch

    layer = torch.nn.Linear(3, 2)

    def train(config):
        return RunResult(weights={"layer": layer.state_dict()})

    run_or_load("weights", CONFIGS, train, profile="smoke", store=store, modules=["awml.runs"])
    loaded = run_or_load("weights", CONFIGS, train, profile="smoke", store=store,
                         modules=["awml.runs"])
    assert loaded.loaded
    torch.testing.assert_close(loaded.weights["layer"]["weight"], layer.weight.detach())


@pytest.fixture
def s3_store(tmp_path):
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="course-artifacts")
        yield S3Store("course-artifacts", "book/runs", cache=tmp_path / "s3-cache",
                      client=client)


def test_s3_store_serves_all_three_paths(s3_store):
    preview = run(s3_store, "cpu")
    assert preview.shows == "cpu" and not preview.loaded
    assert run(s3_store, "cpu").loaded and calls == [2]
    run(s3_store, "gpu")
    recorded = run(s3_store, "cpu")
    assert recorded.shows == "gpu-recorded" and calls == [2, 3]
    assert all(key.startswith(("cpu/toy/", "gpu/toy/")) for key in s3_store.keys())


def test_s3_store_refuses_a_tampered_object(s3_store):
    run(s3_store, "gpu")
    (key,) = s3_store.keys("gpu")
    s3_store.client.put_object(Bucket="course-artifacts",
                               Key=f"book/runs/{key}/history.json", Body=b"{}")
    result = run(s3_store, "cpu")
    assert result.shows == "cpu" and calls == [3, 2]
    assert any("history.json" in note for note in result.notes)


def test_default_store_follows_the_environment(monkeypatch, tmp_path):
    from awml.runs.store import default_store, parse_location

    monkeypatch.setenv("AWML_ARTIFACTS", "s3://bucket/some/prefix")
    assert default_store().describe() == "s3://bucket/some/prefix"
    monkeypatch.setenv("AWML_ARTIFACTS", str(tmp_path))
    assert isinstance(default_store(), LocalStore)
    with pytest.raises(ValueError, match="neither s3://bucket/prefix nor a path"):
        parse_location("gs://bucket")


NEEDS_A_RUN = textwrap.dedent("""
    import sys, time
    from awml.runs import RunResult, run_or_load
    from awml.runs.store import LocalStore

    def compute(config):
        with open(sys.argv[2], "a") as log:
            log.write("computed\\n")
        time.sleep(2)
        return RunResult(metrics={"n": config["n"]})

    run = run_or_load("shared", {"smoke": {"n": 1}, "cpu": {"n": 2}, "gpu": {"n": 3}},
                      compute, profile="cpu", store=LocalStore(sys.argv[1]),
                      instance="ml.g4dn.xlarge")
    print("loaded" if run.loaded else "computed", run.metrics["n"])
""")


def test_two_processes_needing_the_same_run_compute_it_once(tmp_path):
    """Pages executed side by side share a run: the second waits and loads it."""
    script = tmp_path / "needs_a_run.py"
    script.write_text(NEEDS_A_RUN)
    env = {**os.environ, "AWML_ARTIFACTS_DIR": str(tmp_path / "artifacts")}
    command = [sys.executable, str(script), str(tmp_path / "store"), str(tmp_path / "log")]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outputs = sorted(process.communicate(timeout=120)[0].strip() for process in processes)
    assert [process.returncode for process in processes] == [0, 0]
    assert outputs == ["computed 2", "loaded 2"]
    assert (tmp_path / "log").read_text() == "computed\n"
