import pytest

from awml import profiles


def test_profile_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("AWML_PROFILE", "CPU ")
    assert profiles.current_profile() == "cpu"


def test_unset_profile_follows_the_hardware(monkeypatch):
    monkeypatch.delenv("AWML_PROFILE", raising=False)
    expected = "gpu" if profiles.cuda_available() else "cpu"
    assert profiles.current_profile() == expected


def test_unknown_profile_is_refused_in_one_line(monkeypatch):
    monkeypatch.setenv("AWML_PROFILE", "tpu")
    expected = r"AWML_PROFILE='tpu' is not a profile; expected one of smoke, cpu, gpu"
    with pytest.raises(ValueError, match=expected):
        profiles.current_profile()


def test_pick_needs_every_profile():
    with pytest.raises(ValueError, match="lacks profiles"):
        profiles.pick({"cpu": 1})
    assert profiles.pick({"smoke": 1, "cpu": 2, "gpu": 3}, "gpu") == 3


def test_context_names_profile_and_device(monkeypatch):
    monkeypatch.setenv("AWML_PROFILE", "smoke")
    assert str(profiles.context()).startswith("profile smoke on ")


def test_import_awml_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys, awml, awml.profiles, awml.runs, awml.paths; "
            "print(sorted(m for m in ('torch', 'timm', 'ultralytics', 'sklearn', 'boto3') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_small_model_threads_use_one_thread_on_a_cpu_and_restore_the_setting(monkeypatch):
    import torch

    from awml.training.threads import small_model_threads

    monkeypatch.setattr(profiles, "device_name", lambda: "cpu")
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with small_model_threads():
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
