"""Datasets. Each has a full source (checked download or S3) and a real offline source."""
