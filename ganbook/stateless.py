"""A Keras model's weights as plain arrays, for training steps written as pure functions (JAX).

Keras 3 on JAX runs a model as a function of its weights: ``model.stateless_call(trainable,
non_trainable, x)`` returns the outputs and the new non-trainable weights (batch-norm
statistics), and ``optimizer.stateless_apply(slots, grads, trainable)`` returns new weights and
optimizer slots; nothing is assigned. A hand-written JAX step (notebooks 03 and 05) therefore
reads the weights out before it runs and writes the new ones back after it::

    g = stateless.read(generator, g_optimizer)        # (trainable, non_trainable, slots)
    g, loss = pure_step(g, batch)                     # a jax.jit-compiled function of arrays
    stateless.write(generator, g, g_optimizer)
"""

from __future__ import annotations

import keras


def _groups(model, optimizer):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    groups = [model.trainable_variables, model.non_trainable_variables]
    if optimizer is not None:
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise TypeError(
                f"optimizer must be a keras.optimizers.Optimizer, got {type(optimizer).__name__}"
            )
        if not optimizer.built:
            optimizer.build(model.trainable_variables)
        groups.append(optimizer.variables)
    return groups


def read(model, optimizer=None):
    """``(trainable, non_trainable[, optimizer slots])``: lists of copies of the current values
    (backend arrays) of ``model``'s weights and, when given, of ``optimizer``'s variables (built
    for the model's trainable weights if it was not yet)."""
    return tuple(
        [keras.ops.copy(v.value) for v in variables] for variables in _groups(model, optimizer)
    )


def write(model, values, optimizer=None):
    """Assign ``values``, a tuple shaped as :func:`read` returns it, back to ``model`` (and
    ``optimizer``)."""
    groups = _groups(model, optimizer)
    if len(values) != len(groups) or any(
        len(new) != len(variables) for new, variables in zip(values, groups)
    ):
        raise ValueError(
            "values must be shaped as stateless.read(model, optimizer) returns them: "
            f"{[len(g) for g in groups]} arrays per group, got "
            f"{[len(v) for v in values] if isinstance(values, (tuple, list)) else values!r}"
        )
    for variables, new in zip(groups, values):
        for variable, value in zip(variables, new):
            variable.assign(value)
