import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True)


def test_production_refuses_to_start_without_secret_key():
    result = run_python("import app; app.create_app()", CERCLE_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY is not set, and CERCLE_ENV=production requires it" in result.stderr


def test_development_without_secret_key_warns_and_starts():
    result = run_python("import app; app.create_app(); print('started')")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
    assert "SECRET_KEY is not set" in result.stderr


def test_postgresql_urls_get_a_sized_pool():
    result = run_python("import settings; print(settings.tortoise_db_url('postgresql://u@h/db'))", DB_POOL_MAX="7")
    assert result.stdout.strip() == "postgres://u@h/db?maxsize=7"
