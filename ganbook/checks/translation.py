"""Checks for the exercises of notebook 06 (image-to-image translation).

* :func:`check_receptive_field` - section 1 "The PatchGAN: a discriminator for patches"
* :func:`check_cycle_consistency_loss` - section 2 "The cycle-consistency loss"

Each check runs the student's function and an independent numpy reference on fixed inputs and
prints one line, ``PASS`` or ``FAIL`` with a hint naming the mistake when it is a known one.
"""

from __future__ import annotations

import numpy as np

from ganbook.checks.core import CheckResult, check_with_mistakes, refuse_numpy

__all__ = ["check_cycle_consistency_loss", "check_receptive_field"]


# --------------------------------------------------------------------------- receptive field


def _receptive_field_reference(layers):
    # The window of one output unit, walked back to the input: a unit of layer l sees k_l units
    # of layer l - 1, spaced by the product of the strides of the layers below it ("jumps").
    window, jump = 1, 1
    for kernel, stride in layers:
        window += (kernel - 1) * jump
        jump *= stride
    return window


def _receptive_field_cases():
    return [
        ([(4, 2), (4, 2), (4, 1)],),  # the course's PatchGAN
        ([(3, 1), (3, 1)],),
        ([(3, 2), (5, 1)],),
        ([(7, 2), (3, 2), (3, 1), (3, 1)],),
        ([(1, 1)],),
        ([(4, 2), (4, 2), (4, 2), (4, 1), (4, 1)],),  # Isola et al.'s 70x70 PatchGAN
    ]


def check_receptive_field(receptive_field) -> CheckResult:
    """Check ``receptive_field(layers)`` -> int, for ``layers`` a list of (kernel, stride) pairs
    from the first convolution to the last.

    Notebook 06, section 1: start from one output unit (a window of 1) and walk back through the
    layers, last to first; a layer with kernel k and stride s turns a window of w units of its
    output into ``(w - 1) * s + k`` units of its input. The last case is Isola et al.'s 70x70
    PatchGAN (three stride-2 and two stride-1 layers of kernel 4).
    """

    def forward(layers):
        window = 1
        for kernel, stride in layers:
            window = (window - 1) * stride + kernel
        return window

    def no_strides(layers):
        return 1 + sum(kernel - 1 for kernel, _ in layers)

    def sum_of_kernels(layers):
        return sum(kernel for kernel, _ in layers)

    def product_of_kernels(layers):
        return int(np.prod([kernel for kernel, _ in layers]))

    mistakes = [
        (
            forward,
            "walk the layers backwards, from the last to the first: the stride of a layer "
            "spreads the window of the layers *above* it (use reversed(layers))",
        ),
        (
            no_strides,
            "the strides are missing: each layer turns a window of w units into (w - 1) * s + k, "
            "so a stride of 2 doubles the spacing of everything above it",
        ),
        (
            sum_of_kernels,
            "kernels do not add up: neighbouring windows overlap; use (w - 1) * s + k",
        ),
        (product_of_kernels, "kernels do not multiply: use (w - 1) * s + k, layer by layer"),
    ]
    return check_with_mistakes(
        receptive_field,
        _receptive_field_reference,
        _receptive_field_cases(),
        "receptive_field",
        mistakes,
    )


# --------------------------------------------------------------------------- cycle loss


def _cycle_cases():
    rng = np.random.default_rng(8)
    out = []
    for n in (2, 5):
        a, b = rng.uniform(-1, 1, (2, n, 28, 28, 1)).astype("float32")
        cycled_a = np.clip(a + rng.normal(0, 0.3, a.shape), -1, 1).astype("float32")
        cycled_b = np.clip(b + rng.normal(0, 0.6, b.shape), -1, 1).astype("float32")
        out.append((a, cycled_a, b, cycled_b))
    return out


def _l1(x, y):
    return np.mean(np.abs(np.asarray(x, "float64") - np.asarray(y, "float64")))


def _cycle_reference(real_a, cycled_a, real_b, cycled_b):
    return _l1(cycled_a, real_a) + _l1(cycled_b, real_b)


def check_cycle_consistency_loss(cycle_loss) -> CheckResult:
    """Check ``cycle_loss(real_a, cycled_a, real_b, cycled_b)`` -> a scalar, written with
    ``keras.ops``.

    Notebook 06, section 2: Zhu et al. 2017, Eq. 2, ``E|F(G(a)) - a|_1 + E|G(F(b)) - b|_1``,
    each term the mean absolute difference over the batch and the pixels; images
    (N, 28, 28, 1). The check first calls it on backend tensors: a function that returns a
    numpy array cannot be differentiated by the trainer.
    """
    import keras

    name = "cycle_loss"
    cases = _cycle_cases()
    failed = refuse_numpy(cycle_loss, cases[0], name, "ops.abs, ops.mean", "the trainer")
    if failed is not None:
        return failed
    mistakes = [
        (
            lambda a, ca, b, cb: np.mean((ca - a) ** 2) + np.mean((cb - b) ** 2),
            "that is a squared (L2) error: Zhu et al. use the absolute difference (L1), which "
            "blurs less",
        ),
        (
            lambda a, ca, b, cb: _l1(ca, a),
            "only the A -> B -> A round trip is there: add E|G(F(b)) - b|, the B -> A -> B one",
        ),
        (
            lambda a, ca, b, cb: _l1(cb, b),
            "only the B -> A -> B round trip is there: add E|F(G(a)) - a|, the A -> B -> A one",
        ),
        (
            lambda a, ca, b, cb: np.sum(np.abs(ca - a)) + np.sum(np.abs(cb - b)),
            "that is a sum over pixels and images: take the mean of each term, so the loss "
            "does not grow with the batch (lambda = 10 is set for means)",
        ),
        (
            lambda a, ca, b, cb: 0.5 * _cycle_reference(a, ca, b, cb),
            "that is the average of the two terms: Zhu et al. add them",
        ),
        (
            lambda a, ca, b, cb: _l1(ca, b) + _l1(cb, a),
            "compare each round trip with where it started: cycled_a with real_a, cycled_b with "
            "real_b",
        ),
    ]
    return check_with_mistakes(
        lambda *case: cycle_loss(*(keras.ops.convert_to_tensor(a) for a in case)),
        _cycle_reference,
        cases,
        name,
        mistakes,
        rtol=1e-5,
    )
