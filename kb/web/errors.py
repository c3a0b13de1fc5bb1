"""Error pages: domain NotFound → 404; unexpected errors → a friendly 500 page (and JSON under /api)."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kb.errors import NotFound


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(_exc):
        return _respond(404, "没有找到你要的内容，它可能已被归档或改名。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {404: "没有找到这个页面。", 405: "不支持这种请求方式。", 400: "请求的格式不对。"}
        return _respond(exc.code or 500, messages.get(exc.code, exc.description or "请求出错。"))


def _respond(code: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": code}), code
    return render_template("error.html", code=code, message=message), code
