"""ganbook: the tested helper library of the ganbook course.

Every notebook starts with ``import ganbook``. The library reads like the appendix of the course:
one idea per module, each helper pointing back to the notebook section that teaches it.

* :mod:`ganbook.profiles` - ``profile()``, ``set_profile()``, ``pick()`` (notebook 00)
* :mod:`ganbook.data`     - MNIST, bundled digits and photos, 2-D mixtures (notebooks 00, 02, 04)
* :mod:`ganbook.nets`     - DCGAN, MLP and conditional networks, the judge (notebooks 01, 03)
* :mod:`ganbook.losses`   - GAN losses and the gradient penalty (notebooks 02, 03)
* :mod:`ganbook.theory`   - the minimax game on 1-D densities (notebook 02)
* :mod:`ganbook.gan`      - ``GAN``, a ``keras.Model`` trained with ``fit()`` (notebook 03)
* :mod:`ganbook.metrics`  - mode coverage, Frechet distance, classifier score (notebooks 03, 04)
* :mod:`ganbook.live`     - the live training dashboard in ipywidgets (notebook 03)
"""

import os

# TensorFlow's C++ start-up messages (CUDA probes, graph-rewrite notices) are noise in a
# notebook; set TF_CPP_MIN_LOG_LEVEL yourself before importing ganbook to see them.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from ganbook.gan import GAN  # noqa: E402
from ganbook.profiles import pick, profile, set_profile  # noqa: E402
from ganbook.seeding import set_seed  # noqa: E402

__version__ = "0.1.0"
__all__ = ["GAN", "pick", "profile", "set_profile", "set_seed", "__version__"]
