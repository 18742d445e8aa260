"""The ``awml`` command line (typer); boto3 and heavy libraries load inside commands."""
