"""`kb serve`: run the app under gunicorn from Python, with the app built once in the master and forked."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from kb import create_app
from kb.search.analysis import segmenter


class _Server(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        app = create_app()
        # Load the jieba dictionary before forking, so workers share it and answer their first search fast.
        segmenter()
        return app


def run(host: str = "127.0.0.1", port: int = 8000, workers: int = 2) -> None:
    _Server({"bind": f"{host}:{port}", "workers": workers, "preload_app": True, "accesslog": "-",
             "timeout": 60}).run()
