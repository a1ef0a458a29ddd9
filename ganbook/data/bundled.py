"""Data that ships inside scikit-learn and scikit-image: always there, even offline.

* :func:`bundled_digits` - scikit-learn's 1,797 handwritten digits in MNIST's format
  (notebooks 00 and 01, and every notebook in the ``ci`` profile).
* :func:`sample_photos` - four scikit-image test photographs (notebooks 01 and 05).
* :func:`small_faces` - 100 small face crops from Labeled Faces in the Wild (notebook 05).

Only files inside the installed wheels are read (scikit-image fetches some other samples with
``pooch`` over the network; none of those are used here). scikit-learn and scikit-image are
imported inside the functions, so ``import ganbook.data`` stays quick.
"""

from __future__ import annotations

import numpy as np

from ganbook import validate

PHOTOS = ("astronaut", "camera", "chelsea", "coffee")
NUM_FACES = 100
_BOX = 20  # MNIST digits fill about the central 20x20 pixels of 28x28


def bundled_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits resized to MNIST's format: ``(images, labels)``.

    Source: the UCI "Optical Recognition of Handwritten Digits" test set (Alpaydin and Kaynak,
    1998; CC BY 4.0), bundled with scikit-learn as ``sklearn.datasets.load_digits``: 1,797
    digits of 8x8 pixels with values 0..16, about 180 per class.

    Each 8x8 image is scaled to 0..255, resized to 20x20 with bicubic interpolation (Pillow) and
    centred in a black 28x28 frame with a 4-pixel margin, as MNIST centres its 20x20 digits.
    Returns uint8 images (1797, 28, 28) in 0..255 and int64 labels (1797,) in 0..9.
    """
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    margin = (28 - _BOX) // 2
    images = np.zeros((len(digits.images), 28, 28), np.uint8)
    for image, small in zip(images, digits.images, strict=True):
        grey = Image.fromarray((small * (255 / 16)).astype(np.float32))  # Pillow mode "F"
        big = np.asarray(grey.resize((_BOX, _BOX), Image.Resampling.BICUBIC))
        image[margin : margin + _BOX, margin : margin + _BOX] = np.clip(np.rint(big), 0, 255)
    return images, digits.target.astype(np.int64)


def sample_photos(size: int | None = None) -> dict[str, np.ndarray]:
    """scikit-image's sample photographs, ``{name: uint8 image}`` with values 0..255.

    ================  =====================  ==================================================
    name              shape                  source (all free to reuse)
    ================  =====================  ==================================================
    ``"astronaut"``   (512, 512, 3) colour   Eileen Collins, NASA; public domain
    ``"camera"``      (512, 512) grey        cameraman, Lav Varshney; CC0
    ``"chelsea"``     (300, 451, 3) colour   Chelsea the cat, Stefan van der Walt; CC0
    ``"coffee"``      (400, 600, 3) colour   coffee cup, Rachel Michetti; CC0
    ================  =====================  ==================================================

    With ``size`` (a positive int), each photo is cropped to its central square and resized to
    ``size x size`` with bicubic interpolation: (size, size, 3), or (size, size) for ``camera``.
    """
    import skimage.data
    from PIL import Image

    photos = {name: getattr(skimage.data, name)() for name in PHOTOS}
    if size is None:
        return photos
    size = validate.integer(size, "size", minimum=1)
    squares = {}
    for name, photo in photos.items():
        side = min(photo.shape[:2])
        top, left = (photo.shape[0] - side) // 2, (photo.shape[1] - side) // 2
        square = Image.fromarray(photo[top : top + side, left : left + side])
        squares[name] = np.asarray(square.resize((size, size), Image.Resampling.BICUBIC))
    return squares


def small_faces(n: int | None = None) -> np.ndarray:
    """The first ``n`` (default: all 100) faces of ``skimage.data.lfw_subset()``, (n, 25, 25).

    float32 grey values in [0, 1]. Source: Labeled Faces in the Wild (Huang et al., 2007,
    http://vis-www.cs.umass.edu/lfw/), face crops resized to 25x25 by scikit-image. The file
    holds 200 crops: the first 100 are faces, the last 100 background patches, left out here.
    """
    import skimage.data

    n = NUM_FACES if n is None else validate.integer(n, "n", minimum=1)
    if n > NUM_FACES:
        raise ValueError(f"n must be at most {NUM_FACES} (the faces available), got {n}")
    return skimage.data.lfw_subset()[:n].astype(np.float32)
