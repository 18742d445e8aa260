"""`awml aws status|stop` and `awml studio open` against Stubber-served Studio calls."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from awml.cli.main import app
from awsfakes import (DOMAIN, app as app_entry, aws_env, calls_are_declared,  # noqa: F401
                      expect_listing, expect_user, space, stubs)

runner = CliRunner()


def test_status_reads_every_page_and_shows_instance_time_and_cost(stubs):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(
        sagemaker,
        space_pages=[[space("jdoe-lab")], [space("other-lab", owner="ann"),
                                          space("jdoe-gpu")]],
        app_pages=[[app_entry("jdoe-lab", "ml.t3.xlarge", minutes=30)],
                   [app_entry("other-lab", "ml.g4dn.4xlarge"),
                    app_entry("jdoe-gpu", "ml.g4dn.4xlarge", minutes=125),
                    app_entry("jdoe-lab", "ml.t3.xlarge", status="Deleted", name="old")]])
    result = runner.invoke(app, ["aws", "status", "--user", "jdoe"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    gpu = next(line for line in lines if line.startswith("jdoe-gpu/default"))
    assert "ml.g4dn.4xlarge" in gpu and "2 h 05 min" in gpu and "7.5x" in gpu
    assert any(line.startswith("jdoe-lab/default") and "1x" in line for line in lines)
    assert "other-lab" not in result.output  # another student's space
    assert "jdoe-lab/old" not in result.output  # an app that has ended
    assert "Space jdoe-gpu (JupyterLab): running." in result.output


def test_status_says_when_nothing_runs(stubs):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(sagemaker, [[space("jdoe-lab")]], [[]])
    result = runner.invoke(app, ["aws", "status", "--user", "jdoe"])
    assert result.exit_code == 0
    assert "Nothing is running" in result.output
    assert "Space jdoe-lab (JupyterLab): stopped." in result.output


def test_user_comes_from_the_studio_space_metadata(stubs, tmp_path, monkeypatch):
    metadata = tmp_path / "resource-metadata.json"
    metadata.write_text(json.dumps({"DomainId": DOMAIN, "UserProfileName": "ann",
                                    "SpaceName": "ann-lab"}))
    monkeypatch.setenv("AWML_STUDIO_METADATA", str(metadata))
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker, "ann")
    expect_listing(sagemaker, [[space("ann-lab", owner="ann")]], [[]])
    result = runner.invoke(app, ["aws", "status"])
    assert result.exit_code == 0
    assert "user profile ann (from the Studio space's metadata)" in result.output


def test_user_comes_from_the_iam_user_name(stubs):
    stubs("sts").add_response("get_caller_identity", {
        "UserId": "AIDEXAMPLEUSERID", "Account": "111122223333",
        "Arn": "arn:aws:iam::111122223333:user/students/jdoe"})
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(sagemaker, [[]], [[]])
    result = runner.invoke(app, ["aws", "status"])
    assert result.exit_code == 0
    assert "user profile jdoe (from your IAM user name)" in result.output


def test_unknown_user_profile_is_one_line_and_exit_2(stubs):
    stubs("sagemaker").add_client_error(
        "describe_user_profile", service_error_code="ResourceNotFound",
        service_message="User profile does not exist", http_status_code=400)
    result = runner.invoke(app, ["aws", "status", "--user", "nobody"])
    assert result.exit_code == 2
    assert "has no user profile 'nobody'" in result.output
    assert "Traceback" not in result.output


def test_stop_without_yes_only_shows_what_it_would_stop(stubs):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(sagemaker, [[space("jdoe-lab"), space("jdoe-gpu")]],
                   [[app_entry("jdoe-lab", "ml.t3.xlarge"),
                     app_entry("jdoe-gpu", "ml.g4dn.4xlarge")]])
    result = runner.invoke(app, ["aws", "stop", "--all", "--user", "jdoe"])
    assert result.exit_code == 0
    assert "Would stop 2 app(s)" in result.output
    assert "Nothing stopped: run the same command with --yes" in result.output
    # The stubber fails the test on any call it was not given, DeleteApp included.


def test_stop_with_yes_deletes_the_named_app_only(stubs):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(sagemaker, [[space("jdoe-lab"), space("jdoe-gpu")]],
                   [[app_entry("jdoe-lab", "ml.t3.xlarge"),
                     app_entry("jdoe-gpu", "ml.g4dn.4xlarge")]])
    sagemaker.add_response("delete_app", {}, {
        "DomainId": DOMAIN, "AppType": "JupyterLab", "AppName": "default",
        "SpaceName": "jdoe-gpu"})
    result = runner.invoke(app, ["aws", "stop", "jdoe-gpu/default", "--yes", "--user", "jdoe"])
    assert result.exit_code == 0, result.output
    assert "Stopped jdoe-gpu/default (ml.g4dn.4xlarge)." in result.output
    assert "jdoe-lab" not in result.output


def test_stop_of_an_app_that_does_not_run_is_refused(stubs):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(sagemaker, [[space("jdoe-lab")]], [[app_entry("jdoe-lab", "ml.t3.xlarge")]])
    result = runner.invoke(app, ["aws", "stop", "jdoe-gpu", "--yes", "--user", "jdoe"])
    assert result.exit_code == 2
    assert "no running app is named 'jdoe-gpu'; running: jdoe-lab/default" in result.output


def test_studio_open_lands_on_the_page_notebook_in_the_space(stubs):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(sagemaker, [[space("jdoe-lab"), space("jdoe-code", app_type="CodeEditor")]],
                   [[app_entry("jdoe-lab", "ml.t3.xlarge")]])
    url = "https://d-awmlcourse01.studio.us-east-1.sagemaker.aws/auth?token=abc"
    sagemaker.add_response("create_presigned_domain_url", {"AuthorizedUrl": url}, {
        "DomainId": DOMAIN, "UserProfileName": "jdoe", "SpaceName": "jdoe-lab",
        "LandingUri": "app:JupyterLab:lab/tree/awml-book/book/labs/01_denoising.ipynb",
        "ExpiresInSeconds": 300})
    result = runner.invoke(app, ["studio", "open", "labs/01_denoising.md", "--user", "jdoe"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == url
    assert "expires in 300 s" in result.output
    assert "is stopped" not in result.output


def test_studio_open_refuses_a_page_that_does_not_exist(stubs):
    result = runner.invoke(app, ["studio", "open", "book/no_such/page", "--user", "jdoe"])
    assert result.exit_code == 2
    assert "book/no_such/page.md does not exist" in result.output


@pytest.mark.parametrize("spaces, message", [
    ([], "you own no JupyterLab space"),
    ([space("jdoe-a"), space("jdoe-b")], "choose one with --space NAME"),
])
def test_studio_open_needs_exactly_one_space_or_a_choice(stubs, spaces, message):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    expect_listing(sagemaker, [spaces], [])
    result = runner.invoke(app, ["studio", "open", "book/intro", "--user", "jdoe"])
    assert result.exit_code == 2
    assert message in result.output
