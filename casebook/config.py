"""Where the project file is and who is coding.

The project path comes from ``--project``, then ``CASEBOOK_PROJECT``, then
``./casebook.db``. The coder's name is per user, not per project (several
coders' files get merged), so it lives in the user's config folder:
``$CASEBOOK_CONFIG_DIR`` or ``$XDG_CONFIG_HOME/casebook`` or ``~/.config/casebook``.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

DEFAULT_PROJECT = "casebook.db"


def project_path(option: str | None = None) -> Path:
    return Path(option or os.environ.get("CASEBOOK_PROJECT") or DEFAULT_PROJECT)


def config_dir() -> Path:
    if os.environ.get("CASEBOOK_CONFIG_DIR"):
        return Path(os.environ["CASEBOOK_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "casebook"


def _settings_file() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> dict:
    try:
        return json.loads(_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_settings(settings: dict) -> None:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = _settings_file().with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(_settings_file())


def current_coder(option: str | None = None) -> str:
    if option:
        return option
    if os.environ.get("CASEBOOK_CODER"):
        return os.environ["CASEBOOK_CODER"]
    name = load_settings().get("coder")
    if name:
        return str(name)
    try:
        return getpass.getuser() or "default"
    except (OSError, KeyError):
        return "default"


def set_coder(name: str) -> None:
    settings = load_settings()
    settings["coder"] = name.strip()
    save_settings(settings)
