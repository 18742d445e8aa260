"""``awml studio open PAGE``: a sign-in address that opens a page's notebook in your space."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from awml.cli.common import EXIT_STATUSES, course, handled

app = typer.Typer(help="Open book pages in your SageMaker Studio space.",
                  no_args_is_help=True, epilog=EXIT_STATUSES)


@app.command("open")
def open_page(
    page: Annotated[str, typer.Argument(help="The page, e.g. book/m01_dnn/index (as on the "
                                             "page's launch menu).")],
    user: Annotated[Optional[str], typer.Option(
        "--user", help="Studio user profile; default AWML_STUDIO_USER, the Studio space "
                       "you are in, or your IAM user name.")] = None,
    space: Annotated[Optional[str], typer.Option(
        "--space", help="Your space to open it in; default your only JupyterLab space.")]
    = None,
    browser: Annotated[bool, typer.Option("--browser", help="Also open the address in a "
                                                            "web browser.")] = False,
) -> None:
    """Print a presigned Studio address that lands on PAGE's notebook in your space.

    Your space must hold the course repository (the course start-up script clones it).
    """
    from awml.aws import studio
    from awml.aws.clients import client
    from awml.paths import project_root

    settings = course()
    with handled():
        notebook = studio.page_notebook(page, settings.get("studio.repository_folder"),
                                        project_root())
        sagemaker = client("sagemaker")
        student = studio.resolve_user(sagemaker, settings.get("aws.studio_domain_id"), user)
        spaces = studio.owned_spaces(sagemaker, student.domain_id, student.user_profile)
        chosen = studio.choose_space(spaces, space)
        running = studio.running_apps(sagemaker, student.domain_id, student.user_profile,
                                      {chosen})
        expires = int(settings.get("studio.url_expires_seconds"))
        url = studio.presigned_url(
            sagemaker, student, chosen,
            settings.get("studio.landing_uri").format(path=notebook), expires)
    typer.echo(f"{notebook} in space {chosen} of {student.user_profile}:")
    if not any(app_.space_name == chosen and app_.status == "InService" for app_ in running):
        typer.echo(f"Space {chosen} is stopped: Studio asks you to run it (choose the "
                   "instance type there) before the notebook opens.")
    typer.echo(f"This address signs you in; it expires in {expires} s. Do not share it.")
    typer.echo(url)
    if browser:
        import webbrowser

        webbrowser.open(url)
