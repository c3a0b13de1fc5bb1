"""JSON API. Search: GET /api/search?q=&limit=&category=&type=."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, jsonify, request

from kb.content.categories import CATEGORIES
from kb.web.state import resources

bp = Blueprint("api", __name__, url_prefix="/api")


def require_json_body():
    """Writes through the API must carry a JSON body (see the CSRF note in kb.create_app)."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.is_json:
        return jsonify({"error": "请求体应为 JSON（Content-Type: application/json）", "status": 415}), 415
    return None


bp.before_request(require_json_body)


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        value = default
    return max(low, min(value, high))


@bp.get("/search")
def search():
    """Search articles; never fails on odd input (an unusable query returns no results)."""
    category = request.args.get("category") or None
    if category is not None and category not in CATEGORIES:
        return jsonify({"error": f"未知分类：{category}", "categories": list(CATEGORIES)}), 400
    doc_type = request.args.get("type") or None
    if doc_type not in (None, "article", "guide"):
        return jsonify({"error": f"未知类型：{doc_type}", "types": ["article", "guide"]}), 400
    limit = _int_arg("limit", 10, 1, current_app.config["KB_SEARCH_LIMIT_MAX"])
    typing = request.args.get("typing", "1") != "0"
    found = resources().index.search(request.args.get("q", ""), limit=limit, category=category,
                                     doc_type=doc_type, typing=typing)
    return jsonify({"query": found.query, "total": found.total, "took_ms": found.took_ms,
                    "results": [asdict(hit) for hit in found.results]})
