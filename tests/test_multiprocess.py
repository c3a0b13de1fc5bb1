"""The index across processes: gunicorn with two workers sees a `kb sync` run by another process, no restart."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from conftest import article_text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kb(env, *args, check=True):
    return subprocess.run([sys.executable, "-m", "kb", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=check)


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def server(tmp_path, database, content_dir, guides_dir):
    env = {**os.environ, "KB_DATABASE_URL": database.url, "KB_INDEX_DIR": str(tmp_path / "index"),
           "KB_CONTENT_DIR": str(content_dir), "KB_GUIDES_DIR": str(guides_dir), "KB_SECRET_KEY": "test"}
    port = free_port()
    (content_dir / "articles" / "phone").mkdir(parents=True)
    (content_dir / "articles" / "phone" / "hold.md").write_text(article_text(
        category="phone", title="请客户稍候", tags=["稍等"], summary="先征得同意再让客户稍候。",
        related=["phone/a", "phone/b"]), encoding="utf-8")
    result = kb(env, "sync", check=False)
    assert result.returncode == 0, result.stderr
    proc = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--port", str(port), "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get_json(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(f"server did not start: {proc.stderr.read() if proc.poll() is not None else ''}") from None
                time.sleep(0.2)
        yield base, env, content_dir
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stderr.close()


def search(base, q):
    data = get_json(f"{base}/api/search?" + urllib.parse.urlencode({"q": q}))
    return [r["slug"] for r in data["results"]]


def test_workers_see_a_sync_from_another_process(server):
    base, env, content_dir = server
    for _ in range(10):  # warm both workers' searchers
        assert search(base, "稍候") == ["phone/hold"]
    (content_dir / "articles" / "phone" / "transfer.md").write_text(article_text(
        category="phone", title="转接电话的礼仪", tags=["转接"], summary="转接前说明原因和对方是谁。",
        related=["phone/hold", "phone/b"], body="转接之前先告诉客户要转给谁、为什么转。" * 20), encoding="utf-8")
    assert kb(env, "sync", check=False).returncode == 0
    for _ in range(20):
        assert search(base, "转接的礼仪")[0] == "phone/transfer"
    (content_dir / "articles" / "phone" / "transfer.md").unlink()
    assert kb(env, "sync", check=False).returncode == 0
    for _ in range(20):
        assert "phone/transfer" not in search(base, "转接的礼仪")


def test_raw_utf8_in_the_url_is_accepted(server):
    """curl sends `?q=客户` unencoded; gunicorn must accept it (see the pin in pyproject.toml)."""
    base, _env, _content = server
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall("GET /api/search?q=稍候 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"phone/hold" in body
