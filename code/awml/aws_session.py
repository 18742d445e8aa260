"""boto3 clients configured the same way everywhere: standard retries, the course region."""

from __future__ import annotations

import os


def client(service: str, region: str | None = None):
    """Return a boto3 client for ``service`` with botocore's standard retry mode."""
    import boto3
    from botocore.config import Config

    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    config = Config(retries={"mode": "standard", "max_attempts": 8})
    return boto3.client(service, region_name=region or "us-east-1", config=config)
