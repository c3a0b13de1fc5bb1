"""Configuration: environment variables with safe defaults, overridable by a dict passed to create_app.

Every setting has one name, used both as the Flask config key and as the environment variable.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "KB_DATABASE_URL": None,  # None: an SQLite file in the instance folder
    "KB_INDEX_DIR": None,  # None: <instance>/index
    "KB_CONTENT_DIR": str(PROJECT_ROOT / "content"),
    "KB_GUIDES_DIR": str(PROJECT_ROOT / "scripts_library"),
    "KB_SECRET_KEY": None,  # None: a random key persisted in the instance folder
    "KB_SEARCH_LIMIT_MAX": 50,
    "KB_REQUIRE_LOGIN": False,  # default for the admin setting: must agents log in to read?
    "KB_LOGIN_RATE_LIMIT": "10 per minute",
    # memory:// counts per worker process; point it at redis://… to share the count between workers.
    "KB_RATELIMIT_STORAGE_URI": "memory://",
}


def load_config(instance_path: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Resolve settings: explicit overrides win over the environment, which wins over defaults."""
    cfg: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        value = os.environ.get(key, default)
        if isinstance(default, bool) and isinstance(value, str):
            value = value.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int) and isinstance(value, str):
            value = int(value)
        cfg[key] = value
    if overrides:
        cfg.update(overrides)

    instance = Path(instance_path)
    if not cfg["KB_DATABASE_URL"]:
        cfg["KB_DATABASE_URL"] = f"sqlite:///{instance / 'kb.sqlite3'}"
    if not cfg["KB_INDEX_DIR"]:
        cfg["KB_INDEX_DIR"] = str(instance / "index")
    if not cfg["KB_SECRET_KEY"]:
        cfg["KB_SECRET_KEY"] = _persistent_secret(instance)
    return cfg


def _persistent_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so sessions survive restarts without configuration."""
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        instance.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key
