"""A server process loads what tagging and suggestions need before its first request, so the
first post-it saved in a room does not wait seconds for the embedding model."""

import os
import subprocess
import sys

PROBE = """
from insights import create_app
from insights.ops.serve import warm_up
from nlp import embeddings
app = create_app()
assert embeddings._model is None
warm_up(app)
print("model loaded:", embeddings._model is not None)
"""


def test_warm_up_loads_the_embedding_model(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "INSIGHTS_DATABASE_URL": database_url,
        "INSIGHTS_INSTANCE_PATH": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "model loaded: True" in result.stdout, result.stderr[-2000:]
