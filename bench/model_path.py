"""The model path's own cost, against a loopback server that answers at once.

Prints: (1) a streamed rewrite through Rephraser (detect, render the meta-prompt, request, parse SSE,
clean up) beside a bare httpx request for the same answer to the same server, median of 200 each;
(2) process start to the first request on the wire for `rephraser rewrite` in model mode, beside
process start to `import httpx` done, median of 10.
Run: python bench/model_path.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _timing import REPO, ensure_bytecode, rephraser_command

sys.path.insert(0, str(REPO))

from rephraser.composition import build_core, build_model_rewriter
from rephraser.core.rewrite import RewriteRequest
from tests.helpers.fakes import MemorySecretStore
from tests.helpers.llm_server import FakeLLMServer

RUNS = 200
START_RUNS = 10
TEXT = "python func dedupe list keep order fast"


def _config(folder: Path, url: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'mode = "model"\nbase_url = "{url}"\nmodel = "small-model"\n', encoding="utf-8"
    )


def overhead(server: FakeLLMServer) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rephraser-bench-"))
    _config(folder, server.url)
    rewriter = build_model_rewriter(build_core(folder), MemorySecretStore())
    body = {"model": "small-model", "messages": [{"role": "user", "content": TEXT}], "stream": True}
    bare_client = httpx.Client()
    ours, bare = [], []
    for _ in range(20):  # warm both connections and code paths
        rewriter.rewrite(RewriteRequest(TEXT))
        _bare(bare_client, server.url, body)
    for _ in range(RUNS):
        start = time.perf_counter()
        rewriter.rewrite(RewriteRequest(TEXT))
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        _bare(bare_client, server.url, body)
        bare.append(time.perf_counter() - start)
    rewriter.close()
    bare_client.close()
    ours_ms, bare_ms = statistics.median(ours) * 1000, statistics.median(bare) * 1000
    print(f"model path overhead, median of {RUNS} streamed requests to a loopback server")
    print(f"  bare httpx request + SSE read     {bare_ms:7.2f} ms")
    print(f"  rephraser model rewrite           {ours_ms:7.2f} ms")
    print(f"  overhead                          {ours_ms - bare_ms:+7.2f} ms   (goal < +10 ms)")


def _bare(client: httpx.Client, url: str, body: dict[str, object]) -> None:
    with client.stream("POST", f"{url}/v1/chat/completions", json=body) as response:
        for _ in response.iter_lines():
            pass


def first_request(server: FakeLLMServer) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rephraser-bench-"))
    _config(folder, server.url)
    env = {**os.environ, "REPHRASER_CONFIG_DIR": str(folder)}
    to_request, to_import = [], []
    for _ in range(START_RUNS + 1):
        server.requests.clear()
        server.arrivals.clear()
        started = time.monotonic()
        subprocess.run([*rephraser_command(), "rewrite"], input=TEXT.encode(), env=env, capture_output=True, check=True)
        to_request.append(server.arrivals[0] - started)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", "import httpx, time; print(time.monotonic())"],
            capture_output=True,
            text=True,
            check=True,
        )
        to_import.append(float(done.stdout) - started)
    request_ms = statistics.median(to_request[1:]) * 1000
    import_ms = statistics.median(to_import[1:]) * 1000
    print(f"process start to first request on the wire, median of {START_RUNS}")
    print(f"  python -c 'import httpx' (done)       {import_ms:7.1f} ms")
    print(f"  rephraser rewrite (model mode)        {request_ms:7.1f} ms")
    print(f"  ratio                                 {request_ms / import_ms:7.2f}")


if __name__ == "__main__":
    ensure_bytecode()
    with FakeLLMServer() as fake:
        overhead(fake)
        first_request(fake)
