"""Data sets of the course: MNIST, bundled digits and photos, 2-D mixtures (notebooks 00, 04-07).

Nothing is downloaded at import time, and scikit-learn, scikit-image and Keras are imported only
inside the functions that need them. Sources, licences and checksums: ``data/README.md``.

* :func:`course_digits` - the digits every notebook trains on, sized by the profile (notebook 00)
* :func:`few_per_class` - a few labelled examples of every class (notebook 07)
* :func:`load_mnist`, :func:`load_fashion_mnist` - uint8 (N, 28, 28) images and int64 labels,
  read from local files or downloaded once and checked by SHA-256 (:mod:`ganbook.data.files`)
* :func:`bundled_digits` - scikit-learn's 1,797 digits in MNIST's 28x28 format (always offline),
  and :func:`bundled_split`, their fixed train / held-out split (notebook 06)
* :func:`sample_photos`, :func:`small_faces` - scikit-image photos and faces (notebook 05)
* :func:`ring`, :func:`grid` - the 8- and 25-mode Gaussian mixtures of mode collapse (notebook 04)
* :func:`to_unit_range`, :func:`from_unit_range`, :func:`check_images` - pixels to network
  inputs in [-1, 1] and back (notebook 03)
"""

from ganbook.data.bundled import bundled_digits, sample_photos, small_faces
from ganbook.data.course import bundled_split, course_digits, few_per_class
from ganbook.data.images import check_images, from_unit_range, to_unit_range
from ganbook.data.mixtures import grid, ring
from ganbook.data.mnist import load_fashion_mnist, load_mnist

__all__ = [
    "bundled_digits",
    "bundled_split",
    "check_images",
    "course_digits",
    "few_per_class",
    "from_unit_range",
    "grid",
    "load_fashion_mnist",
    "load_mnist",
    "ring",
    "sample_photos",
    "small_faces",
    "to_unit_range",
]
