"""MNIST and Fashion-MNIST: 28x28 grey images in 10 classes, 60,000 to train and 10,000 to test.

Notebook 00 (section "Data") loads them; ``data/README.md`` lists sources, licences and checksums.

* MNIST (LeCun, Cortes and Burges, 1998): handwritten digits 0-9.
* Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017, arXiv:1708.07747): Zalando article photos,
  labels 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
  8 Bag, 9 Ankle boot.

Both are read from either of two layouts, searched as described in :mod:`ganbook.data.files`:

* Keras: ``mnist.npz`` holding ``x_train, y_train, x_test, y_test`` (MNIST only);
* IDX: ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
  ``t10k-labels-idx1-ubyte``, each gzipped (``.gz``) or not.

What is checked before any file is used:

* ``mnist.npz`` and every download: the SHA-256 of the file, from :data:`SHA256`;
* local IDX files: the SHA-256 of the decompressed bytes where known (:data:`PAYLOAD_SHA256`), as
  a re-compressed copy has other gzip bytes but the same content; otherwise the IDX structure;
* always: images of shape (N, 28, 28) and N labels in 0..9.
"""

from __future__ import annotations

import http.client
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganbook.data import files

SPLITS = ("train", "test")
BASE_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# SHA-256 of each file as served at BASE_URL, keyed "<data set>/<file name>".
# mnist.npz: Keras (keras/src/datasets/mnist.py). Fashion-MNIST: the files published by Zalando
# (MD5s in github.com/zalandoresearch/fashion-mnist), SHA-256 as pinned by other projects.
SHA256 = {
    "mnist/mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    "fashion_mnist/train-images-idx3-ubyte.gz": (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
    ),
    "fashion_mnist/train-labels-idx1-ubyte.gz": (
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
    ),
    "fashion_mnist/t10k-images-idx3-ubyte.gz": (
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
    ),
    "fashion_mnist/t10k-labels-idx1-ubyte.gz": (
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
    ),
}

# SHA-256 of decompressed IDX files, keyed "<data set>/<file name without .gz>".
PAYLOAD_SHA256 = {
    "mnist/t10k-images-idx3-ubyte": (
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    ),
    "mnist/t10k-labels-idx1-ubyte": (
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
    ),
}

_IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


@dataclass(frozen=True)
class _DataSet:
    name: str  # folder name and key prefix in SHA256
    title: str
    npz: str | None  # the Keras single-file layout, where the data set has one

    def downloads(self, split: str) -> list[str]:
        """Files fetched from BASE_URL to get ``split``."""
        return [self.npz] if self.npz else [f"{stem}.gz" for stem in _IDX_FILES[split]]


MNIST = _DataSet("mnist", "MNIST", "mnist.npz")
FASHION_MNIST = _DataSet("fashion_mnist", "Fashion-MNIST", None)


def load_mnist(
    split: str = "train", path: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST digits: ``(images, labels)``, uint8 (N, 28, 28) in 0..255 and int64 (N,) in 0..9.

    ``split="train"`` gives N = 60,000, ``"test"`` N = 10,000. ``path`` is a folder to look in
    first; the other places and the download are described in :mod:`ganbook.data.files`.
    Offline with no files found, raises ``FileNotFoundError`` saying which files to put where.
    """
    return _load(MNIST, split, path)


def load_fashion_mnist(
    split: str = "train", path: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST: ``(images, labels)``, uint8 (N, 28, 28) in 0..255 and int64 (N,) in 0..9.

    Same splits, sizes and lookup as :func:`load_mnist`; the files are the four IDX files (keep
    them in a ``fashion_mnist/`` folder: their names are the same as MNIST's).
    """
    return _load(FASHION_MNIST, split, path)


def find_local(name: str, split: str, path: str | os.PathLike | None = None) -> list[Path] | None:
    """The local files that hold ``split`` of data set ``name`` (``"mnist"`` or
    ``"fashion_mnist"``), searched as by the loaders but never downloaded; ``None`` if absent.
    ``python -m ganbook doctor`` reports what it finds."""
    sets = {MNIST.name: MNIST, FASHION_MNIST.name: FASHION_MNIST}
    if name not in sets:
        raise ValueError(f"name must be one of {tuple(sets)}, got {name!r}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return _find(sets[name], split, files.search_folders(name, path))


def _load(data_set: _DataSet, split: str, path) -> tuple[np.ndarray, np.ndarray]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    folders = files.search_folders(data_set.name, path)
    found = _find(data_set, split, folders) or _download(data_set, split, folders)
    if len(found) == 1:
        images, labels = _read_npz(data_set, split, found[0])
    else:
        images, labels = (_read_idx(data_set, file) for file in found)
    _check_contents(images, labels, found)
    return images, labels.astype(np.int64)


def _find(data_set: _DataSet, split: str, folders: list[Path]) -> list[Path] | None:
    """The first folder's files that hold ``split``: ``[npz]`` or ``[images, labels]``."""
    for folder in folders:
        if data_set.npz and (folder / data_set.npz).is_file():
            return [folder / data_set.npz]
        pair = [
            next((p for p in (folder / f"{stem}.gz", folder / stem) if p.is_file()), None)
            for stem in _IDX_FILES[split]
        ]
        if all(pair):
            return pair
    return None


def _download(data_set: _DataSet, split: str, folders: list[Path]) -> list[Path]:
    found = []
    for name in data_set.downloads(split):
        url, target = BASE_URL + name, files.cache_dir() / data_set.name / name
        try:
            found.append(files.download(url, target, SHA256[f"{data_set.name}/{name}"]))
        except (OSError, http.client.HTTPException) as error:
            raise _not_found(data_set, split, folders, f"{url}: {error}") from error
    return found


def _not_found(data_set: _DataSet, split: str, folders: list[Path], reason: str):
    idx = " and ".join(f"{stem}.gz" for stem in _IDX_FILES[split])
    choices = f"{data_set.npz} (both splits), or {idx}" if data_set.npz else idx
    searched = "\n".join(f"    {folder}" for folder in folders)
    return FileNotFoundError(
        f"{data_set.title} split {split!r} was not found, and the download failed ({reason}).\n"
        f"To work offline, put {choices} (IDX files may also be uncompressed, without .gz)\n"
        f"into one of the folders searched:\n{searched}\n"
        f"or set the environment variable {files.ENV_VAR} to a folder that holds them, in "
        f"{files.ENV_VAR}/{data_set.name}/ or in {files.ENV_VAR}/ itself. See data/README.md."
    )


def _read_npz(data_set: _DataSet, split: str, path: Path) -> tuple[np.ndarray, np.ndarray]:
    data = path.read_bytes()
    files.check_sha256(data, SHA256[f"{data_set.name}/{path.name}"], path)
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return npz[f"x_{split}"], npz[f"y_{split}"]


def _read_idx(data_set: _DataSet, path: Path) -> np.ndarray:
    payload = files.read_payload(path)
    expected = PAYLOAD_SHA256.get(f"{data_set.name}/{path.name.removesuffix('.gz')}")
    if expected:
        files.check_sha256(payload, expected, path, what="decompressed IDX data")
    return files.parse_idx(payload, path)


def _check_contents(images: np.ndarray, labels: np.ndarray, found: list[Path]) -> None:
    if (
        images.dtype != np.uint8
        or images.ndim != 3
        or images.shape[1:] != (28, 28)
        or labels.shape != (len(images),)
        or labels.min(initial=0) < 0
        or labels.max(initial=0) > 9
    ):
        where = ", ".join(str(file) for file in found)
        raise ValueError(
            f"{where}: expected uint8 images (N, 28, 28) and N labels in 0..9, got images "
            f"{images.dtype} {images.shape} and labels {labels.shape}. {files.FIX}"
        )
