"""话术通 (kb): a knowledge base and guided-script assistant for Chinese customer-service agents.

`create_app(config=None)` builds the Flask app; nothing is created at import time.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from kb.config import PROJECT_ROOT, load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, static_folder=str(PROJECT_ROOT / "static"),
                template_folder="templates")
    app.config.update(load_config(app.instance_path, config))
    app.config["SECRET_KEY"] = app.config["KB_SECRET_KEY"]
    # Room for a large paste in the editor; the editor then refuses bodies over its own limit with a message.
    app.config.setdefault("MAX_CONTENT_LENGTH", 8 * 1024 * 1024)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from kb.web import state

    state.init_app(app)

    from kb.web import (admin, api, articles, auth, editor, errors, feedback, guides, guides_api, health, paths,
                        search)

    auth.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(guides.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(guides_api.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(feedback.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(paths.bp)
    # JSON endpoints are safe from cross-site forms because they only accept application/json bodies
    # (a form cannot send that, and a cross-site fetch of it needs CORS, which we never grant).
    for blueprint in (api.bp, guides_api.bp):
        auth.csrf.exempt(blueprint)
    auth.csrf.exempt(feedback.miss)
    app.register_blueprint(health.bp)
    errors.init_app(app)

    from kb import cli

    cli.init_app(app)
    return app
