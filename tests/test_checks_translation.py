"""The exercise checks of notebook 06 (ganbook.checks.translation).

Each check must pass a correct solution (written here independently of the checks' references:
the backward walk of Araujo et al. 2019, the library's own functions, keras.ops) and fail each
typical mistake with the hint that names it.
"""

import keras
import numpy as np
import pytest
from check_output import fails_with, passes
from keras import ops

from ganbook import losses, nets
from ganbook.checks import translation as checks


def stub(*args):
    raise NotImplementedError


# --------------------------------------------------------------------------- receptive field


def receptive_field_backwards(layers):
    window = 1
    for kernel, stride in reversed(list(layers)):
        window = (window - 1) * stride + kernel
    return window


def receptive_field_closed_form(layers):
    # r = 1 + sum_l (k_l - 1) * prod_{i < l} s_i
    strides = np.cumprod([1] + [s for _, s in layers][:-1])
    return int(1 + sum((k - 1) * jump for (k, _), jump in zip(layers, strides)))


@pytest.mark.parametrize(
    "solution", [receptive_field_backwards, receptive_field_closed_form, nets.receptive_field]
)
def test_receptive_field_solutions_pass(solution, capsys):
    passes(checks.check_receptive_field(solution), capsys)


def test_receptive_field_of_isola_et_al_is_70():
    assert receptive_field_backwards([(4, 2), (4, 2), (4, 2), (4, 1), (4, 1)]) == 70


def forward(layers):
    window = 1
    for kernel, stride in layers:
        window = (window - 1) * stride + kernel
    return window


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (forward, "backwards"),
        (lambda layers: 1 + sum(k - 1 for k, _ in layers), "strides are missing"),
        (lambda layers: sum(k for k, _ in layers), "do not add up"),
        (lambda layers: int(np.prod([k for k, _ in layers])), "do not multiply"),
        (lambda layers: receptive_field_backwards(layers) + 1, "receptive_field"),
        (stub, "not implemented"),
    ],
)
def test_receptive_field_mistakes(wrong, hint, capsys):
    fails_with(checks.check_receptive_field(wrong), capsys, hint)


# --------------------------------------------------------------------------- cycle loss


def cycle_loss_ops(real_a, cycled_a, real_b, cycled_b):
    return ops.mean(ops.absolute(real_a - cycled_a)) + ops.mean(ops.absolute(real_b - cycled_b))


@pytest.mark.parametrize("solution", [cycle_loss_ops, losses.cycle_consistency_loss])
def test_cycle_loss_solutions_pass(solution, capsys):
    passes(checks.check_cycle_consistency_loss(solution), capsys)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda a, ca, b, cb: ops.mean(ops.square(ca - a)) + ops.mean(ops.square(cb - b)), "L2"),
        (lambda a, ca, b, cb: ops.mean(ops.abs(ca - a)), "add E|G(F(b)) - b|"),
        (lambda a, ca, b, cb: ops.mean(ops.abs(cb - b)), "add E|F(G(a)) - a|"),
        (lambda a, ca, b, cb: ops.sum(ops.abs(ca - a)) + ops.sum(ops.abs(cb - b)), "sum over"),
        (lambda a, ca, b, cb: 0.5 * cycle_loss_ops(a, ca, b, cb), "average of the two"),
        (
            lambda a, ca, b, cb: ops.mean(ops.abs(ca - b)) + ops.mean(ops.abs(cb - a)),
            "where it started",
        ),
        (
            lambda a, ca, b, cb: (
                np.mean(np.abs(np.asarray(ca) - np.asarray(a)))
                + np.mean(np.abs(np.asarray(cb) - np.asarray(b)))
            ),
            "keras.ops",
        ),
        (stub, "not implemented"),
    ],
)
def test_cycle_loss_mistakes(wrong, hint, capsys):
    fails_with(checks.check_cycle_consistency_loss(wrong), capsys, hint)


def test_cycle_loss_check_feeds_backend_tensors(capsys):
    seen = []

    def spy(*args):
        seen.append(all(keras.ops.is_tensor(a) for a in args))
        return cycle_loss_ops(*args)

    passes(checks.check_cycle_consistency_loss(spy), capsys)
    assert seen and all(seen)
