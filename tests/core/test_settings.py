import os
import subprocess
import sys

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _run(env_extra: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "maslikhat.config.settings",
        "MASLIKHAT_VAR_DIR": str(tmp_path),
        **env_extra,
    }
    return subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=False)


def test_development_default_needs_no_variable(tmp_path):
    result = _run({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path):
    result = _run({"MASLIKHAT_MODE": "production", "ALLOWED_HOSTS": "example.org"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_secret_key_and_hosts(tmp_path):
    result = _run(
        {"MASLIKHAT_MODE": "production", "ALLOWED_HOSTS": "example.org", "SECRET_KEY": "x" * 50}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
