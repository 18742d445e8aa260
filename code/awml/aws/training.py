"""A lab's heavy steps as a SageMaker training job (``awml lab run LAB --on sagemaker``).

The job runs the course's PyTorch training image. Its input is a tarball of this
repository's ``code/``, ``course.yml``, ``requirements.txt`` and ``_toc.yml``; its command
unpacks it, installs the packages the image lacks (``launch.packages`` of the course file,
at the versions of ``requirements.txt``), and runs ``awml lab run LAB --profile PROFILE``,
through torchrun with one process per GPU when the instance has several. The lab writes its
runs to the S3 artifact store; ``awml artifacts pull`` brings them home.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shlex
import tarfile
from dataclasses import dataclass
from pathlib import Path

from awml.runs.store import S3Store, parse_location

SOURCE_FILES = ("code/awml", "code/pyproject.toml", "course.yml", "requirements.txt", "_toc.yml")
SKIPPED = re.compile(r"(__pycache__|\.pyc$|\.egg-info)")
CODE_CHANNEL = "code"
WORKDIR = "/opt/ml/code/course"


@dataclass(frozen=True)
class TrainingJobPlan:
    """Everything a training job needs, shown to the person before it is created."""

    job_name: str
    lab: str
    profile: str
    instance_type: str
    gpus: int
    image: str
    role_arn: str
    store: str
    source_uri: str
    max_runtime_seconds: int
    volume_gb: int
    packages: tuple[str, ...]

    @property
    def command(self) -> str:
        """The shell command the container runs."""
        run = f"-m awml.cli.main lab run {shlex.quote(self.lab)} --profile {self.profile}"
        launcher = (f"torchrun --standalone --nproc_per_node={self.gpus}" if self.gpus > 1
                    else "python")
        install = " ".join(shlex.quote(package) for package in self.packages)
        return " && ".join([
            "set -eu", f"mkdir -p {WORKDIR}", f"cd {WORKDIR}",
            f"tar -xzf /opt/ml/input/data/{CODE_CHANNEL}/source.tar.gz",
            f"python -m pip install --quiet --no-cache-dir {install}" if install else "true",
            f"export PYTHONPATH={WORKDIR}/code AWML_ROOT={WORKDIR}",
            f"exec {launcher} {run}",
        ])


def pinned_packages(names: list[str], requirements: Path) -> tuple[str, ...]:
    """Return ``names`` pinned to their versions in ``requirements`` (name==version).

    A name that ``requirements`` does not pin is returned unpinned.
    """
    pins = {}
    if requirements.is_file():
        for line in requirements.read_text().splitlines():
            match = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*==\s*([^\s;#]+)", line)
            if match:
                pins[match.group(1).lower().replace("_", "-")] = match.group(3)
    pinned = []
    for name in names:
        version = pins.get(name.lower().replace("_", "-"))
        pinned.append(f"{name}=={version}" if version else name)
    return tuple(pinned)


def job_name(lab: str, profile: str, now: dt.datetime | None = None) -> str:
    """Return a training job name such as ``awml-denoising-gpu-20260112-093000``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", f"awml-{lab}-{profile}").strip("-")
    return f"{stem[:47]}-{now:%Y%m%d-%H%M%S}"


def plan_job(course, lab: str, profile: str, instance_type: str, store: str,
             root: Path, role_arn: str | None = None,
             now: dt.datetime | None = None) -> TrainingJobPlan:
    """Return the plan of a training job for ``lab`` on ``instance_type``.

    ``course`` is the course configuration; ``store`` must be an ``s3://`` location.
    Raises ValueError naming the argument for an unknown instance type or a local store.
    """
    instances = course.get("training.instances")
    if instance_type not in instances:
        raise ValueError(f"--instance {instance_type!r} is not a training instance of "
                         f"course.yml; expected one of {', '.join(instances)}")
    if not isinstance(parse_location(store), S3Store):
        raise ValueError(f"artifact store {store!r} must be s3://bucket/prefix for a "
                         "training job (set AWML_ARTIFACTS or aws.artifacts in course.yml)")
    name = job_name(lab, profile, now)
    training = course.get("training")
    return TrainingJobPlan(
        job_name=name, lab=lab, profile=profile, instance_type=instance_type,
        gpus=int(instances[instance_type].get("gpus", 1)),
        image=training["image"].replace("{region}", course.get("aws.region")),
        role_arn=role_arn or training["role_arn"], store=store.rstrip("/"),
        source_uri=f"{store.rstrip('/')}/jobs/{name}/source.tar.gz",
        max_runtime_seconds=int(float(training["max_runtime_hours"]) * 3600),
        volume_gb=int(training["volume_gb"]),
        packages=pinned_packages(list(course.get("launch.packages")),
                                 root / "requirements.txt"))


def create_request(plan: TrainingJobPlan, course_name: str = "AWML") -> dict:
    """Return the keyword arguments of ``CreateTrainingJob`` for ``plan``."""
    source_folder = plan.source_uri.rsplit("/", 1)[0] + "/"
    return {
        "TrainingJobName": plan.job_name,
        "AlgorithmSpecification": {
            "TrainingImage": plan.image, "TrainingInputMode": "File",
            "ContainerEntrypoint": ["/bin/bash", "-c"],
            "ContainerArguments": [plan.command],
        },
        "RoleArn": plan.role_arn,
        "InputDataConfig": [{
            "ChannelName": CODE_CHANNEL,
            "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": source_folder,
                "S3DataDistributionType": "FullyReplicated"}},
        }],
        "OutputDataConfig": {"S3OutputPath": f"{plan.store}/jobs/"},
        "ResourceConfig": {"InstanceType": plan.instance_type, "InstanceCount": 1,
                           "VolumeSizeInGB": plan.volume_gb},
        "StoppingCondition": {"MaxRuntimeInSeconds": plan.max_runtime_seconds},
        "Environment": {"AWML_ARTIFACTS": plan.store, "AWML_PROFILE": plan.profile,
                        "AWML_PLAIN_PROGRESS": "1"},
        "Tags": [{"Key": "course", "Value": course_name}, {"Key": "awml-lab", "Value": plan.lab}],
    }


def source_tarball(root: Path) -> bytes:
    """Return a gzipped tar of the files a job needs from the repository at ``root``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in SOURCE_FILES:
            path = root / name
            if not path.exists():
                raise FileNotFoundError(f"{path} is missing; run from the book repository")
            archive.add(path, arcname=name,
                        filter=lambda info: None if SKIPPED.search(info.name) else info)
    return buffer.getvalue()


def submit(plan: TrainingJobPlan, root: Path, s3, sagemaker, course_name: str = "AWML") -> str:
    """Upload the source tarball and create the training job; return the job's ARN."""
    bucket, _, key = plan.source_uri.removeprefix("s3://").partition("/")
    s3.put_object(Bucket=bucket, Key=key, Body=source_tarball(root))
    response = sagemaker.create_training_job(**create_request(plan, course_name))
    return response["TrainingJobArn"]
