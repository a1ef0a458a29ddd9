"""ganbook.stateless: a model's weights read out as arrays and written back (notebooks 03 and 05's
hand-written JAX steps). Runs on both backends (tests/test_backends.py)."""

import keras
import numpy as np
import pytest

from ganbook import nets, stateless


def small_net():
    keras.utils.set_random_seed(0)
    return nets.dcgan_discriminator(width=0.125)  # has batch norm: non-trainable weights too


def test_read_then_write_round_trips_and_builds_the_optimizer():
    net, optimizer = small_net(), keras.optimizers.Adam(1e-3)
    trainable, non_trainable, slots = stateless.read(net, optimizer)
    assert optimizer.built and len(slots) == len(optimizer.variables)
    assert [np.shape(a) for a in trainable] == [tuple(v.shape) for v in net.trainable_variables]
    shifted = [[keras.ops.convert_to_numpy(a) + 1.0 for a in group] for group in (trainable,)]
    stateless.write(net, (shifted[0], non_trainable, slots), optimizer)
    for variable, before in zip(net.trainable_variables, trainable):
        got = keras.ops.convert_to_numpy(variable.value)
        np.testing.assert_allclose(got, keras.ops.convert_to_numpy(before) + 1.0)


def test_a_stateless_step_written_back_equals_the_stateful_one():
    net = small_net()
    x = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    trainable, non_trainable = stateless.read(net)
    out, new_non_trainable = net.stateless_call(trainable, non_trainable, x, training=True)
    stateless.write(net, (trainable, new_non_trainable))
    # Batch norm's moving statistics moved as a stateful call would have moved them.
    reference = small_net()
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(reference(x, training=True)),
        keras.ops.convert_to_numpy(out),
        rtol=1e-5,
        atol=1e-6,
    )
    for mine, theirs in zip(net.non_trainable_variables, reference.non_trainable_variables):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(mine.value),
            keras.ops.convert_to_numpy(theirs.value),
            rtol=1e-5,
            atol=1e-6,
        )


def test_bad_arguments_are_named():
    net = small_net()
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        stateless.read("net")
    with pytest.raises(TypeError, match="optimizer must be"):
        stateless.read(net, "adam")
    trainable, non_trainable = stateless.read(net)
    with pytest.raises(ValueError, match="values must be shaped"):
        stateless.write(net, (trainable,))
    with pytest.raises(ValueError, match="values must be shaped"):
        stateless.write(net, (trainable[:-1], non_trainable))
