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


def test_a_malformed_email_url_stops_the_start_with_its_reason():
    result = run_python("import app; app.create_app()", EMAIL_URL="http://mail.example.org")
    assert result.returncode != 0
    assert "EMAIL_URL must start with smtp://, smtps:// or smtp+starttls://" in result.stderr


def test_a_malformed_retry_schedule_is_explained():
    result = run_python("import settings", EMAIL_RETRY_SCHEDULE="60,soon")
    assert result.returncode != 0
    assert "EMAIL_RETRY_SCHEDULE must be seconds separated by commas" in result.stderr
    result = run_python("import settings; print(settings.EMAIL_RETRY_SCHEDULE)", EMAIL_RETRY_SCHEDULE="1, 2.5")
    assert result.stdout.strip() == "[1.0, 2.5]"


def test_malformed_garbage_collector_thresholds_are_explained():
    result = run_python("import settings", GC_THRESHOLDS="50000,20")
    assert result.returncode != 0
    assert "GC_THRESHOLDS must be three whole numbers separated by commas" in result.stderr
