"""Each deployment file passes its check, and each check fails when the file breaks."""

from pathlib import Path

import yaml
from deploy_scripts import DEPLOY, check, edit


def problems_of(result) -> str:
    return "\n".join(result.problems)


# --- nginx -------------------------------------------------------------------------------


def test_the_shipped_nginx_config_passes_nginx_t_with_both_upstreams():
    result = check.check_nginx()
    assert result.ok, problems_of(result)


def test_nginx_check_refuses_the_http2_directive_debian_12_lacks(repo: Path):
    edit(
        repo / "deploy/nginx/patuh.conf", "listen 443 ssl http2;", "listen 443 ssl;\n    http2 on;"
    )
    result = check.check_nginx(repo / "deploy/nginx")
    assert "`http2 on;` needs nginx 1.25.1" in problems_of(result)


def test_nginx_check_reports_what_nginx_t_says_about_a_broken_directive(repo: Path):
    edit(repo / "deploy/nginx/patuh.conf", "client_max_body_size 25m;", "client_max_body_size;")
    result = check.check_nginx(repo / "deploy/nginx")
    assert not result.ok
    assert "invalid number of arguments" in problems_of(result)
    assert "patuh.conf" in problems_of(result)


def test_nginx_check_needs_an_upstream_named_patuh(repo: Path):
    edit(repo / "deploy/nginx/compose-upstream.conf", "upstream patuh", "upstream other")
    result = check.check_nginx(repo / "deploy/nginx")
    assert "with compose-upstream.conf" in problems_of(result)


# --- systemd -----------------------------------------------------------------------------


def test_every_shipped_unit_passes_systemd_analyze_verify():
    result = check.check_systemd()
    assert result.ok, problems_of(result)


def test_systemd_check_fails_on_an_unknown_setting(repo: Path):
    edit(
        repo / "deploy/systemd/patuh-web.service",
        "Restart=on-failure",
        "Restart=on-failure\nRestrat=always",
    )
    result = check.check_systemd(repo / "deploy/systemd")
    assert "Unknown key 'Restrat'" in problems_of(result)


def test_systemd_check_fails_on_a_program_that_does_not_exist(repo: Path):
    edit(repo / "deploy/systemd/patuh-web.service", "/bin/kill", "/bin/no-such-kill")
    result = check.check_systemd(repo / "deploy/systemd")
    assert "/bin/no-such-kill is not executable" in problems_of(result)


def test_systemd_check_wants_the_backup_folder_created_and_a_zip(repo: Path):
    unit = repo / "deploy/systemd/patuh-backup.service"
    edit(unit, "StateDirectory=patuh/backups\n", "")
    edit(unit, "backup /var/lib/patuh/backups\n", "backup /var/lib/patuh/backups/x.tar.gz\n")
    problems = problems_of(check.check_systemd(repo / "deploy/systemd"))
    assert "nothing creates the backup folder" in problems
    assert "writes a ZIP" in problems


def test_systemd_check_wants_a_service_for_every_timer(repo: Path):
    (repo / "deploy/systemd/patuh-reminders.service").unlink()
    result = check.check_systemd(repo / "deploy/systemd")
    assert "patuh-reminders.timer has no patuh-reminders.service" in problems_of(result)


# --- Dockerfile --------------------------------------------------------------------------


def lint(repo: Path) -> str:
    return "\n".join(
        check.lint_dockerfile(repo / "deploy/Dockerfile", repo, repo / "deploy/compose.yaml")
    )


def test_the_shipped_dockerfile_passes_hadolint_and_the_projects_rules():
    result = check.check_dockerfile()
    assert result.ok, problems_of(result)


def test_the_shipped_dockerfile_passes_in_a_copy_of_the_repository(repo: Path):
    assert lint(repo) == ""


def test_dockerfile_lint_refuses_a_root_image_without_a_pinned_base(repo: Path):
    dockerfile = repo / "deploy/Dockerfile"
    edit(dockerfile, "FROM python:3.11-slim-bookworm", "FROM python")
    edit(dockerfile, "USER patuh\n", "")
    problems = lint(repo)
    assert "base image 'python' is not pinned" in problems
    assert "runs as root" in problems


def test_dockerfile_lint_refuses_downloads_caches_and_a_missing_healthcheck(repo: Path):
    dockerfile = repo / "deploy/Dockerfile"
    edit(dockerfile, "    PIP_NO_CACHE_DIR=1 \\\n", "")
    edit(dockerfile, "HEALTHCHECK", "# HEALTHCHECK")
    dockerfile.write_text(dockerfile.read_text() + "ADD https://example.com/x.tar.gz /tmp/\n")
    problems = lint(repo)
    assert "pip install without --no-cache-dir" in problems
    assert "no HEALTHCHECK" in problems
    assert "ADD of a URL" in problems


def test_dockerfile_lint_wants_the_media_folder_owned_by_the_app_user(repo: Path):
    edit(repo / "deploy/Dockerfile", "/var/lib/patuh/media ", "")
    assert "/var/lib/patuh/media (a volume in compose.yaml) is not created" in lint(repo)


def test_dockerfile_lint_wants_a_lock_file_copied_and_installed_from(repo: Path):
    dockerfile = repo / "deploy/Dockerfile"
    edit(dockerfile, "LICENSE requirements.lock ./", "LICENSE ./")
    edit(
        dockerfile,
        "RUN pip install --require-hashes -r requirements.lock",
        'RUN pip install ".[s3]"',
    )
    assert "the lock file (requirements.lock) is not copied" in lint(repo)


def test_dockerfile_lint_wants_a_dockerignore_that_keeps_out_git_and_keeps_in_src(repo: Path):
    edit(repo / ".dockerignore", ".git\n", "")
    (repo / ".dockerignore").write_text((repo / ".dockerignore").read_text() + "src\n")
    problems = lint(repo)
    assert ".dockerignore does not exclude .git" in problems
    assert "COPY source src is excluded by .dockerignore" in problems


def test_hadolint_findings_fail_the_dockerfile_check(repo: Path):
    edit(repo / "deploy/Dockerfile", "WORKDIR /opt/patuh", "WORKDIR opt/patuh")
    result = check.check_dockerfile(repo / "deploy/Dockerfile", repo)
    assert "DL3000" in problems_of(result)  # "Use absolute WORKDIR"


# --- Compose -----------------------------------------------------------------------------


def compose(repo: Path) -> dict:
    return yaml.safe_load((repo / "deploy/compose.yaml").read_text())


def save(repo: Path, data: dict) -> None:
    (repo / "deploy/compose.yaml").write_text(yaml.safe_dump(data))


def test_the_shipped_compose_file_passes_the_schema_and_the_projects_rules():
    result = check.check_compose()
    assert result.ok, problems_of(result)


def test_compose_runs_the_migration_once_before_web_worker_and_scheduler():
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert services["migrate"]["command"] == ["patuh", "migrate", "--noinput"]
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["env_file"] == "${PATUH_ENV_FILE:-compose.env}"
    assert services["proxy"]["profiles"] == ["tls"]


def test_compose_check_fails_when_web_does_not_wait_for_the_migration(repo: Path):
    data = compose(repo)
    data["services"]["web"]["depends_on"] = {"redis": {"condition": "service_started"}}
    del data["services"]["worker"]["env_file"]
    save(repo, data)
    problems = problems_of(check.check_compose(repo / "deploy/compose.yaml"))
    assert "web does not wait for the migration" in problems
    assert "worker has no env_file" in problems


def test_compose_check_reports_schema_errors_with_their_place(repo: Path):
    data = compose(repo)
    data["services"]["worker"]["depends_on"]["migrate"]["condition"] = "service_done"
    data["services"]["web"]["restrat"] = "always"
    save(repo, data)
    problems = problems_of(check.check_compose(repo / "deploy/compose.yaml"))
    assert "schema: services/worker/depends_on" in problems
    assert "schema: services/web: 'restrat' does not match" in problems


def test_compose_check_wants_the_tls_proxy_with_the_shipped_config(repo: Path):
    data = compose(repo)
    data["services"]["proxy"]["ports"] = ["80:80"]
    data["services"]["proxy"]["volumes"] = ["./tls:/etc/ssl/patuh:ro"]
    save(repo, data)
    problems = problems_of(check.check_compose(repo / "deploy/compose.yaml"))
    assert "does not publish port 443" in problems
    assert "does not mount deploy/nginx/patuh.conf" in problems


def test_compose_check_wants_every_required_variable_in_the_example(repo: Path):
    edit(repo / "deploy/compose.env.example", "POSTGRES_PASSWORD=change-me\n", "")
    problems = problems_of(check.check_compose(repo / "deploy/compose.yaml"))
    assert "requires POSTGRES_PASSWORD, which compose.env.example does not set" in problems


# --- the script --------------------------------------------------------------------------


def test_the_compose_smoke_is_skipped_with_a_reason_or_passes():
    result = check.check_smoke()
    assert result.ok, problems_of(result)
    if result.skipped:
        assert "docker" in result.skipped.lower()


def test_an_unknown_check_name_exits_2(capsys):
    assert check.main(["nginx", "kubernetes"]) == 2
    assert "unknown check 'kubernetes'" in capsys.readouterr().err


def test_a_failing_check_exits_1_and_names_the_problem(monkeypatch, capsys):
    monkeypatch.setattr(check, "find_tool", lambda name: None)
    assert check.main(["nginx"]) == 1
    assert "FAIL nginx" in capsys.readouterr().out
