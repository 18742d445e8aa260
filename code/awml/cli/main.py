"""The ``awml`` command: Studio, budgets, labs and artifacts from a terminal.

``awml aws status|stop|budget``, ``awml studio open PAGE``, ``awml lab run LAB``,
``awml artifacts pull|push``. Every command has ``--help``. Start-up stays light: boto3
and the labs' libraries load inside the commands that use them.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from awml.cli import artifacts, aws, lab, studio
from awml.cli.common import EXIT_STATUSES

app = typer.Typer(name="awml", help="The AWML course's command line.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False, epilog=EXIT_STATUSES)
app.add_typer(aws.app, name="aws")
app.add_typer(studio.app, name="studio")
app.add_typer(lab.app, name="lab")
app.add_typer(artifacts.app, name="artifacts")


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v",
                                               help="Log what the commands do.")] = False
         ) -> None:
    """The AWML course's command line."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


if __name__ == "__main__":
    app()
