"""Run-or-load: heavy computations keyed by task, profile, configuration and code."""

from awml.runs.fingerprint import code_fingerprint, module_closure
from awml.runs.run_or_load import Run, RunResult, run_or_load

__all__ = ["Run", "RunResult", "code_fingerprint", "module_closure", "run_or_load"]
