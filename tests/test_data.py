"""Tests of ganbook.data: lookup, checksums, IDX, downloads, course split, bundled sets, mixtures.

Every test runs offline: an autouse fixture points the download cache at a temporary folder,
unsets GANBOOK_DATA and makes ``urlopen`` fail, so no test can read the repository's ``data/``
folder or reach the network by accident. Tests that need a download replace ``urlopen`` again.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

import ganbook
from ganbook import data
from ganbook.data import files, mnist
from ganbook.data.files import read_idx, write_idx

# The shared MNIST test files: GANBOOK_DATA if set, else ../shared/data beside the repository.
SHARED_DATA = Path(os.environ.get("GANBOOK_DATA") or Path(__file__).parents[2] / "shared" / "data")
MNIST_TEST_LABEL_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No network, no GANBOOK_DATA, an empty cache in tmp_path/cache, default profile afterwards.

    GANBOOK_PROFILE is set for the test's duration so that ``set_profile(None)`` need not probe
    for a GPU (which imports TensorFlow); monkeypatch restores the variable afterwards.
    """

    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError("no network in tests")

    cache = tmp_path / "cache"
    monkeypatch.setattr(files, "cache_dir", lambda: cache)
    monkeypatch.delenv("GANBOOK_DATA", raising=False)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setenv("GANBOOK_PROFILE", "ci")
    yield cache
    ganbook.set_profile(None)


@pytest.fixture
def not_real_mnist(monkeypatch):
    """Forget the checksums of the real MNIST test files, for tests that write look-alikes."""
    monkeypatch.setattr(mnist, "PAYLOAD_SHA256", {})


def fake_digits(n, seed=0):
    """``n`` random uint8 images (n, 28, 28) and balanced labels 0..9 (uint8, as in IDX files)."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    return images, (np.arange(n) % 10).astype(np.uint8)


def write_split(folder, split, images, labels, gz=True):
    """Write one split as the two IDX files into ``folder``."""
    prefix = {"train": "train", "test": "t10k"}[split]
    suffix = ".gz" if gz else ""
    folder.mkdir(parents=True, exist_ok=True)
    write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images)
    write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels)


def npz_bytes(x_train, y_train, x_test, y_test):
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return buffer.getvalue()


class FakeResponse(io.BytesIO):
    """A stand-in for ``urlopen``'s answer; after ``fail_after`` bytes the connection drops."""

    def __init__(self, payload, fail_after=None):
        super().__init__(payload)
        self.fail_after = fail_after

    def read(self, size=-1):
        if self.fail_after is not None and self.tell() >= self.fail_after:
            raise ConnectionResetError("connection reset by peer")
        limit = size if self.fail_after is None else min(size, self.fail_after - self.tell())
        return super().read(limit)


def serve(monkeypatch, payload, fail_after=None):
    """Make every ``urlopen`` call answer with ``payload``; returns the list of URLs asked for."""
    urls = []

    def urlopen(url, *args, **kwargs):
        urls.append(url)
        return FakeResponse(payload, fail_after)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return urls


# ---------------------------------------------------------------------------------------------
# Loaders on real and written files


@pytest.mark.skipif(
    not any((SHARED_DATA / sub / "t10k-images-idx3-ubyte.gz").is_file() for sub in ("mnist", "")),
    reason="the shared MNIST test files are not present",
)
def test_load_mnist_test_split_from_shared_folder():
    images, labels = data.load_mnist("test", path=SHARED_DATA)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == MNIST_TEST_LABEL_COUNTS
    assert images.max() == 255 and images.min() == 0


@pytest.mark.parametrize("name", ["a-idx3-ubyte", "a-idx3-ubyte.gz"])
def test_idx_round_trip(tmp_path, name):
    array = np.random.default_rng(1).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    path = write_idx(tmp_path / name, array)
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    # Header: magic 0x00000803 (unsigned bytes, 3 dimensions), then the sizes big-endian.
    assert raw[:16] == bytes.fromhex("00000803000000070000000500000003")
    np.testing.assert_array_equal(read_idx(path), array)


def test_write_idx_rejects_other_dtypes(tmp_path):
    with pytest.raises(ValueError, match="uint8"):
        write_idx(tmp_path / "x-idx1-ubyte", np.arange(3))


def test_loaders_read_idx_files(tmp_path):
    images, labels = fake_digits(30)
    write_split(tmp_path / "fashion_mnist", "test", images, labels)
    write_split(tmp_path / "mnist", "train", images[::-1], labels[::-1], gz=False)

    x, y = data.load_fashion_mnist("test", path=tmp_path)
    np.testing.assert_array_equal(x, images)
    np.testing.assert_array_equal(y, labels)
    assert x.dtype == np.uint8 and y.dtype == np.int64

    x, y = data.load_mnist("train", path=tmp_path)
    np.testing.assert_array_equal(x, images[::-1])
    np.testing.assert_array_equal(y, labels[::-1])


def test_load_mnist_reads_keras_npz(tmp_path, monkeypatch):
    (x_train, y_train), (x_test, y_test) = fake_digits(20), fake_digits(10, seed=1)
    payload = npz_bytes(x_train, y_train, x_test, y_test)
    (tmp_path / "mnist.npz").write_bytes(payload)  # straight in the folder, not in mnist/
    monkeypatch.setitem(mnist.SHA256, "mnist/mnist.npz", hashlib.sha256(payload).hexdigest())

    x, y = data.load_mnist("test", path=tmp_path)
    np.testing.assert_array_equal(x, x_test)
    assert y.dtype == np.int64 and y.tolist() == y_test.tolist()
    assert data.load_mnist("train", path=tmp_path)[0].shape == (20, 28, 28)


def test_lookup_order_is_path_then_env_then_cache(tmp_path, monkeypatch, offline):
    # Each place holds a different number of digits, which tells which one was read.
    for n, folder in [(10, tmp_path / "p"), (11, tmp_path / "e"), (12, offline)]:
        write_split(folder / "mnist", "train", *fake_digits(n))
    monkeypatch.setenv("GANBOOK_DATA", str(tmp_path / "e"))
    assert len(data.load_mnist("train", path=tmp_path / "p")[0]) == 10
    assert len(data.load_mnist("train")[0]) == 11
    monkeypatch.delenv("GANBOOK_DATA")
    assert len(data.load_mnist("train")[0]) == 12


# ---------------------------------------------------------------------------------------------
# Damaged files and bad arguments


def test_damaged_npz_gives_checksum_error(tmp_path, monkeypatch):
    payload = bytearray(npz_bytes(*fake_digits(5), *fake_digits(5)))
    monkeypatch.setitem(mnist.SHA256, "mnist/mnist.npz", hashlib.sha256(payload).hexdigest())
    payload[len(payload) // 2] ^= 0xFF  # one damaged byte
    (tmp_path / "mnist").mkdir()
    path = tmp_path / "mnist" / "mnist.npz"
    path.write_bytes(payload)
    with pytest.raises(ValueError, match="checksum mismatch") as error:
        data.load_mnist("train", path=tmp_path)
    message = str(error.value)
    assert str(path) in message and mnist.SHA256["mnist/mnist.npz"] in message
    assert "Delete the file" in message and "replace it" in message


def test_wrong_mnist_test_files_give_checksum_error(tmp_path):
    write_split(tmp_path, "test", *fake_digits(10))  # not the real decompressed MNIST test set
    with pytest.raises(ValueError, match="checksum mismatch.*decompressed") as error:
        data.load_mnist("test", path=tmp_path)
    assert "t10k-images-idx3-ubyte.gz" in str(error.value)


def test_truncated_idx_gives_clear_error(tmp_path):
    images, labels = fake_digits(10)
    write_split(tmp_path / "fashion_mnist", "test", images, labels, gz=False)
    path = tmp_path / "fashion_mnist" / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated") as error:
        data.load_fashion_mnist("test", path=tmp_path)
    assert str(path) in str(error.value) and "7,840 bytes" in str(error.value)


def test_truncated_gzip_gives_clear_error(tmp_path):
    write_split(tmp_path, "train", *fake_digits(50))
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ValueError, match="gzip data is truncated or damaged") as error:
        data.load_fashion_mnist("train", path=tmp_path)
    assert str(path) in str(error.value)


def test_not_an_idx_file_gives_clear_error(tmp_path):
    path = tmp_path / "x-idx1-ubyte"
    path.write_bytes(b"PK\x03\x04 this is a zip file")
    with pytest.raises(ValueError, match="not an IDX file.*00000803"):
        read_idx(path)


def test_wrong_shape_in_idx_gives_clear_error(tmp_path):
    images, labels = fake_digits(10)
    write_split(tmp_path, "train", images[:, :14], labels)
    with pytest.raises(ValueError, match=r"expected uint8 images \(N, 28, 28\)"):
        data.load_mnist("train", path=tmp_path)


@pytest.mark.parametrize("load", [data.load_mnist, data.load_fashion_mnist])
def test_unknown_split_names_the_argument(load):
    with pytest.raises(ValueError, match=r"split must be one of \('train', 'test'\), got 'val'"):
        load("val")


def test_path_must_be_a_folder(tmp_path):
    with pytest.raises(ValueError, match="path must be an existing folder"):
        data.load_mnist("test", path=tmp_path / "nowhere")


# ---------------------------------------------------------------------------------------------
# Downloads


def test_offline_error_says_which_files_to_put_where(tmp_path, monkeypatch, offline):
    monkeypatch.setenv("GANBOOK_DATA", str(tmp_path / "env"))
    with pytest.raises(FileNotFoundError) as error:
        data.load_mnist("train", path=tmp_path)
    message = str(error.value)
    for name in ("mnist.npz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        assert name in message
    for folder in (tmp_path / "mnist", tmp_path, tmp_path / "env" / "mnist", offline / "mnist"):
        assert f"    {folder}\n" in message
    assert "GANBOOK_DATA" in message and "no network in tests" in message

    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte.gz"):
        data.load_fashion_mnist("test")


def test_download_is_verified_and_saved(monkeypatch, offline, capsys):
    (x_train, y_train), (x_test, y_test) = fake_digits(20), fake_digits(10, seed=1)
    payload = npz_bytes(x_train, y_train, x_test, y_test)
    monkeypatch.setitem(mnist.SHA256, "mnist/mnist.npz", hashlib.sha256(payload).hexdigest())
    urls = serve(monkeypatch, payload)

    x, y = data.load_mnist("test")
    assert urls == [mnist.BASE_URL + "mnist.npz"]
    assert "Downloading" in capsys.readouterr().out
    np.testing.assert_array_equal(x, x_test)
    assert (offline / "mnist" / "mnist.npz").read_bytes() == payload
    assert sorted(p.name for p in (offline / "mnist").iterdir()) == ["mnist.npz"]

    data.load_mnist("train")  # found in the cache now: no second download
    assert len(urls) == 1


def test_download_with_wrong_checksum_saves_nothing(monkeypatch, offline):
    serve(monkeypatch, b"an error page, not the data")
    with pytest.raises(ValueError, match="checksum mismatch.*Nothing was saved"):
        data.load_fashion_mnist("train")
    assert list((offline / "fashion_mnist").iterdir()) == []


def test_interrupted_download_leaves_no_file(monkeypatch, offline):
    serve(monkeypatch, b"x" * 5_000_000, fail_after=3_000_000)
    with pytest.raises(FileNotFoundError, match="connection reset"):
        data.load_mnist("test")
    assert list((offline / "mnist").iterdir()) == []  # neither mnist.npz nor a .part file


# ---------------------------------------------------------------------------------------------
# The course split


def assert_partition(parts, whole):
    """The images in ``parts`` are exactly those of ``whole``: same multiset, nothing shared."""
    rows = sorted(image.tobytes() for part in parts for image in part)
    assert rows == sorted(image.tobytes() for image in whole)


def test_course_digits_test_files_only(tmp_path, capsys, not_real_mnist):
    ganbook.set_profile("lecture")
    images, _ = fake_digits(10000)
    labels = np.random.default_rng(2).integers(0, 10, size=10000).astype(np.uint8)
    write_split(tmp_path / "mnist", "test", images, labels)

    (x_train, y_train), (x_test, y_test) = data.course_digits(path=tmp_path)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "8,000" in out and "2,000" in out and "test digits" in out
    assert x_train.shape == (8000, 28, 28) and x_test.shape == (2000, 28, 28)
    assert y_train.dtype == y_test.dtype == np.int64
    assert_partition([x_train, x_test], images)
    # Stratified: each class holds out a fifth of its digits, to within one.
    held_out, total = np.bincount(y_test, minlength=10), np.bincount(labels, minlength=10)
    assert np.all(np.abs(held_out - total / 5) <= 1)
    # Fixed: the same split every time.
    (again, _), _ = data.course_digits(path=tmp_path)
    np.testing.assert_array_equal(again, x_train)


def test_course_digits_full_split(tmp_path, capsys, not_real_mnist):
    ganbook.set_profile("full")
    train, test = fake_digits(60), fake_digits(20, seed=1)
    write_split(tmp_path / "mnist", "train", *train)
    write_split(tmp_path / "mnist", "test", *test)
    (x_train, _), (x_test, y_test) = data.course_digits(path=tmp_path)
    assert "standard split: 60 train / 20 test" in capsys.readouterr().out
    np.testing.assert_array_equal(x_train, train[0])
    np.testing.assert_array_equal(x_test, test[0])
    np.testing.assert_array_equal(y_test, test[1])


def test_course_digits_ci_uses_bundled_digits(capsys):
    ganbook.set_profile("ci")
    (x_train, y_train), (x_test, y_test) = data.course_digits()  # no files, no network needed
    assert "scikit-learn" in capsys.readouterr().out
    assert x_train.shape == (1497, 28, 28) and x_test.shape == (300, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.int64
    assert_partition([x_train, x_test], data.bundled_digits()[0])
    assert np.bincount(y_test).min() >= 29  # about 30 of each class


# ---------------------------------------------------------------------------------------------
# Bundled sets (offline by construction: sockets are blocked here)


@pytest.fixture
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_bundled_digits(no_sockets):
    images, labels = data.bundled_digits()
    assert images.shape == (1797, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 255
    assert np.bincount(labels).min() >= 174  # about 180 of each digit
    # Centred like MNIST: a 4-pixel black margin around a 20x20 box.
    assert images[:, :4].max() == images[:, -4:].max() == 0
    assert images[:, :, :4].max() == images[:, :, -4:].max() == 0
    # The ink sits where sklearn's 8x8 image has it: average the 20x20 box back to 8x8, each
    # source pixel taking the area-weighted mean of the 2.5x2.5 output pixels over it.
    from sklearn.datasets import load_digits

    source = np.arange(8)[:, None]  # source pixel i covers [i, i + 1)
    start = np.arange(20) * 8 / 20  # output pixel j covers [start_j, start_j + 0.4)
    overlap = np.minimum(source + 1, start + 0.4) - np.maximum(source, start)
    weights = np.clip(overlap, 0, None)  # (8, 20): source pixel i, output pixel j
    weights /= weights.sum(axis=1, keepdims=True)
    for image, small in zip(images[:20], load_digits().images[:20], strict=True):
        pooled = weights @ image[4:24, 4:24].astype(float) @ weights.T
        assert np.corrcoef(pooled.ravel(), small.ravel())[0, 1] > 0.95


def test_sample_photos(no_sockets):
    photos = data.sample_photos()
    assert sorted(photos) == ["astronaut", "camera", "chelsea", "coffee"]
    assert photos["astronaut"].shape == (512, 512, 3) and photos["camera"].shape == (512, 512)
    assert all(photo.dtype == np.uint8 for photo in photos.values())
    small = data.sample_photos(size=64)
    assert small["coffee"].shape == (64, 64, 3) and small["camera"].shape == (64, 64)
    assert small["coffee"].dtype == np.uint8


def test_small_faces(no_sockets):
    faces = data.small_faces()
    assert faces.shape == (100, 25, 25) and faces.dtype == np.float32
    assert 0 <= faces.min() and faces.max() <= 1
    np.testing.assert_array_equal(data.small_faces(n=7), faces[:7])


# ---------------------------------------------------------------------------------------------
# 2-D mixtures


@pytest.mark.parametrize(
    ("make", "num_modes", "std"), [(data.ring, 8, 0.01), (data.grid, 25, 0.05)]
)
def test_mixture_statistics(make, num_modes, std):
    n = 20000
    samples, centers = make(n, seed=0)
    assert samples.shape == (n, 2) and samples.dtype == centers.dtype == np.float32
    assert centers.shape == (num_modes, 2)
    nearest = np.argmin(((samples[:, None] - centers[None]) ** 2).sum(-1), axis=1)
    counts = np.bincount(nearest, minlength=num_modes)
    # Balance: chi-square of the counts against uniform, with a generous 99.9 % bound.
    expected = n / num_modes
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < {8: 24.3, 25: 51.2}[num_modes]
    for k in range(num_modes):
        offsets = samples[nearest == k] - centers[k]
        assert np.all(np.abs(offsets.mean(0)) < 5 * std / np.sqrt(counts[k]))
        assert np.all(np.abs(offsets.std(0) / std - 1) < 0.1)


def test_mixture_centres():
    _, centers = data.ring(1)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(centers[2], [0, 1], atol=1e-6)
    _, centers = data.grid(1)
    assert sorted(set(centers[:, 0].tolist())) == [-4, -2, 0, 2, 4]
    assert len({tuple(c) for c in centers.tolist()}) == 25
    _, centers = data.ring(1, modes=3, radius=2.0)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, rtol=1e-6)


def test_mixture_seeds():
    np.testing.assert_array_equal(data.ring(100, seed=3)[0], data.ring(100, seed=3)[0])
    assert not np.array_equal(data.grid(100, seed=3)[0], data.grid(100, seed=4)[0])


@pytest.mark.parametrize(
    ("call", "error", "argument", "value"),
    [
        (lambda: data.ring(0), ValueError, "n", "0"),
        (lambda: data.ring(2.5), TypeError, "n", "2.5"),
        (lambda: data.ring(True), TypeError, "n", "True"),
        (lambda: data.ring(10, std=0), ValueError, "std", "0"),
        (lambda: data.ring(10, modes=-1), ValueError, "modes", "-1"),
        (lambda: data.grid(10, spacing=float("nan")), ValueError, "spacing", "nan"),
        (lambda: data.grid(10, side=0), ValueError, "side", "0"),
        (lambda: data.small_faces(n=0), ValueError, "n", "0"),
        (lambda: data.small_faces(n=101), ValueError, "n", "101"),
        (lambda: data.sample_photos(size=-3), ValueError, "size", "-3"),
    ],
)
def test_bad_arguments_name_the_argument(call, error, argument, value):
    with pytest.raises(error, match=rf"^{argument} must .*got {value}") as raised:
        call()
    assert type(raised.value) is error


# ---------------------------------------------------------------------------------------------
# Pixels to network inputs


def test_unit_range_round_trip():
    pixels = np.resize(np.arange(256, dtype=np.uint8), (3, 28, 28))
    x = data.to_unit_range(pixels)
    assert x.shape == (3, 28, 28, 1) and x.dtype == np.float32
    assert x.min() == -1 and x.max() == 1
    np.testing.assert_array_equal(data.from_unit_range(x), pixels)
    assert data.to_unit_range(pixels[..., None]).shape == (3, 28, 28, 1)
    clipped = data.from_unit_range(np.array([[[-3.0, 0.0, 2.0]]]))  # (1, 1, 3): no axis dropped
    np.testing.assert_array_equal(clipped, [[[0, 128, 255]]])
    data.check_images(x)


def test_to_unit_range_accepts_only_pixels():
    with pytest.raises(TypeError, match="images must be uint8"):
        data.to_unit_range(np.zeros((2, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"images must be uint8 .*shape \(2, 28\)"):
        data.to_unit_range(np.zeros((2, 28), np.uint8))


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.zeros((2, 28, 28, 3)), r"x must have shape \(N, 28, 28\) or \(N, 28, 28, 1\)"),
        (np.zeros((28, 28)), "x must have shape"),
        (np.zeros((0, 28, 28)), "at least one image"),
        (np.full((1, 28, 28), 255, np.uint8), "values in \\[-1, 1\\].*to_unit_range"),
        (np.full((1, 28, 28), np.nan), "no NaN"),
    ],
)
def test_check_images(x, match):
    with pytest.raises(ValueError, match=match):
        data.check_images(x)
    with pytest.raises(ValueError, match="^fake_images "):
        data.check_images(x, argument="fake_images")


def test_import_is_light():
    # `import ganbook` brings Keras (and what Keras itself imports); the data sets' own heavy
    # libraries (scikit-image here) load only inside the functions that need them.
    code = (
        "import sys, keras; before = set(sys.modules); import ganbook.data; "
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in "
        "('skimage', 'sklearn', 'scipy', 'matplotlib')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_few_per_class_draws_each_class_evenly_and_reproducibly():
    labels = np.repeat(np.arange(4), [10, 7, 12, 5])
    chosen = data.few_per_class(labels, 5, seed=3)
    assert np.all(np.diff(chosen) > 0)  # ascending, no repeats
    np.testing.assert_array_equal(np.bincount(labels[chosen]), [5, 5, 5, 5])
    np.testing.assert_array_equal(chosen, data.few_per_class(labels, 5, seed=3))
    assert not np.array_equal(chosen, data.few_per_class(labels, 5, seed=4))


@pytest.mark.parametrize(
    "labels, per_class, error, words",
    [
        (np.repeat(np.arange(3), [4, 2, 4]), 3, ValueError, "class 1 has 2"),
        (np.arange(6), 0, ValueError, "per_class must be an integer >= 1"),
        (np.arange(6), 1.5, TypeError, "per_class must be an integer"),
        (np.zeros(6, "float32"), 1, ValueError, "labels must be a non-empty 1-D array of int"),
        (np.zeros((2, 3), "int64"), 1, ValueError, "labels must be a non-empty 1-D"),
    ],
)
def test_few_per_class_refuses_what_it_cannot_draw(labels, per_class, error, words):
    with pytest.raises(error, match=words):
        data.few_per_class(labels, per_class)
