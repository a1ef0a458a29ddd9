"""Data files on disk: where the course looks for them, safe downloads, checksums and IDX.

Notebook 00 (section "Data") explains the lookup. For a data set called ``name`` (``"mnist"`` or
``"fashion_mnist"``) the folders searched are, in order:

1. the ``path`` argument of a loader,
2. the folder named by the environment variable ``GANBOOK_DATA``,
3. the cache, :func:`cache_dir` (the repository's ``data/`` folder, else ``~/.cache/ganbook``),

each as ``<folder>/<name>/`` first, then ``<folder>/`` itself. Only when nothing is found does a
loader download, into ``cache_dir() / name``. A download goes to a temporary file beside its
target, is checked against its SHA-256, and only then renamed into place (``os.replace`` is atomic),
so an interrupted or damaged download never leaves a file that a later run would trust.

IDX is the format of the original MNIST files (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
number ``0x0000TTDD`` (two zero bytes, a type code ``TT``, here 0x08 for unsigned bytes, and the
number of dimensions ``DD``), then one big-endian 32-bit size per dimension, then the data in C
order. Labels are ``0x00000801`` (1 dimension), images ``0x00000803`` (3 dimensions).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import tempfile
import urllib.request
import zlib
from pathlib import Path

import numpy as np

ENV_VAR = "GANBOOK_DATA"
DOWNLOAD_TIMEOUT_S = 60
FIX = (
    "Delete the file and load again to download a fresh copy, or replace it with a good copy "
    "(see data/README.md)."
)
_UBYTE = 0x08  # the IDX type code of unsigned bytes


def cache_dir() -> Path:
    """Folder that downloads go to: ``<repo>/data`` in a source checkout, else ``~/.cache/ganbook``.

    The repository root is the folder above the ``ganbook`` package when it holds
    ``pyproject.toml``; an installed package has none and uses the user cache instead.
    """
    import ganbook

    root = Path(ganbook.__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file():
        return root / "data"
    return Path.home() / ".cache" / "ganbook"


def search_folders(name: str, path: str | os.PathLike | None = None) -> list[Path]:
    """Folders searched for data set ``name``, in order (see the module docstring).

    ``path`` must be an existing folder when given. A ``GANBOOK_DATA`` folder that does not exist
    stays in the list, so that error messages show it was looked at.
    """
    roots = []
    if path is not None:
        if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
            raise TypeError(f"path must be a folder (a str or pathlib.Path) or None, got {path!r}")
        if not str(path).strip():
            raise ValueError(f"path must name a folder, got {path!r}")
        path = Path(path).expanduser()
        if not path.is_dir():
            raise ValueError(f"path must be an existing folder, got {str(path)!r}")
        roots.append(path)
    if os.environ.get(ENV_VAR, "").strip():
        roots.append(Path(os.environ[ENV_VAR].strip()).expanduser())
    roots.append(cache_dir())
    folders = []
    for root in roots:
        for folder in (root / name, root):
            if folder not in folders:
                folders.append(folder)
    return folders


def check_sha256(data: bytes, expected: str, path: Path, what: str = "file") -> None:
    """Raise ``ValueError`` naming ``path`` and the fix unless ``sha256(data) == expected``.

    ``what`` says which bytes were hashed, e.g. ``"decompressed IDX data"``.
    """
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ValueError(
            f"{path}: checksum mismatch: the SHA-256 of the {what} is {actual}, expected "
            f"{expected}. The file is damaged or is not the published one. {FIX}"
        )


def download(url: str, target: Path, sha256: str, timeout: float = DOWNLOAD_TIMEOUT_S) -> Path:
    """Download ``url`` to ``target``, verify its SHA-256, then move it into place atomically.

    The bytes go to a hidden ``.part`` file in ``target``'s folder, which is deleted if anything
    goes wrong: no network (``urllib.error.URLError``), a connection that drops midway, or a
    checksum mismatch (``ValueError``). ``target`` exists afterwards only if it is complete and
    verified. Returns ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, part_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    part = Path(part_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as source:
            print(f"Downloading {url} to {target}")
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            raise ValueError(
                f"{url}: checksum mismatch: the SHA-256 of the download is {digest.hexdigest()}, "
                f"expected {sha256}. Nothing was saved. Try again later, or download the file by "
                "hand (see data/README.md)."
            )
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


def read_payload(path: Path) -> bytes:
    """All bytes of ``path``, decompressed with gzip when its name ends in ``.gz``.

    A truncated or damaged gzip file raises ``ValueError`` naming the file and the fix.
    """
    path = Path(path)
    if path.suffix != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ValueError(
            f"{path}: the gzip data is truncated or damaged ({error}). {FIX}"
        ) from error


def parse_idx(payload: bytes, path: Path) -> np.ndarray:
    """The uint8 array stored in the IDX bytes ``payload`` (read from ``path``, named in errors).

    Checks the magic number, the sizes in the header and that the data holds exactly
    ``prod(sizes)`` bytes; any failure raises ``ValueError`` saying what is wrong.
    """
    if len(payload) < 4 or payload[:2] != b"\0\0" or payload[2] != _UBYTE or payload[3] == 0:
        magic = payload[:4].hex() if len(payload) >= 4 else repr(payload[:4])
        raise ValueError(
            f"{path}: not an IDX file of unsigned bytes (magic number {magic}, expected 00000801 "
            f"for labels or 00000803 for images). {FIX}"
        )
    ndim = payload[3]
    start = 4 + 4 * ndim
    if len(payload) < start:
        raise ValueError(f"{path}: the IDX header is truncated. {FIX}")
    shape = struct.unpack(f">{ndim}I", payload[4:start])
    expected, found = int(np.prod(shape)), len(payload) - start
    if found != expected:
        problem = "truncated" if found < expected else "longer than its header says"
        raise ValueError(
            f"{path}: the IDX header promises shape {shape} = {expected:,} bytes of data, but the "
            f"file holds {found:,}: it is {problem}. {FIX}"
        )
    return np.frombuffer(payload, np.uint8, offset=start).reshape(shape).copy()


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file of unsigned bytes (gzipped when named ``*.gz``) as a uint8 array."""
    return parse_idx(read_payload(Path(path)), Path(path))


def write_idx(path: str | os.PathLike, array: np.ndarray) -> Path:
    """Write a uint8 ``array`` (1 to 255 dimensions) as an IDX file; gzip it when named ``*.gz``.

    The inverse of :func:`read_idx`. The gzip header gets a zero timestamp, so the same array
    always gives the same bytes. Returns the path.
    """
    array, path = np.asarray(array), Path(path)
    if array.dtype != np.uint8 or not 1 <= array.ndim <= 255:
        raise ValueError(
            f"array must be a uint8 array with 1 to 255 dimensions, got dtype {array.dtype} "
            f"and shape {array.shape}"
        )
    header = bytes([0, 0, _UBYTE, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + np.ascontiguousarray(array).tobytes()
    if path.suffix == ".gz":
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(data)
    else:
        path.write_bytes(data)
    return path
