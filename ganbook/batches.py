"""Training data as TensorFlow batches, without a stall each time ``fit`` returns.

Given numpy arrays, ``keras.Model.fit`` on TensorFlow feeds them through a ``tf.data`` pipeline
that Keras builds (its data adapter for arrays: shuffled indices, then a parallel gather of each
batch); given a Python generator, through another (``from_generator``, then a prefetch). Either
way an iterator is left open when ``fit`` returns: for arrays, the next epoch's, which Keras
opens as soon as an epoch's last batch is drawn; for a generator, the one that was still
reading ahead. With tf.data's autotuning on, closing it waits for the autotuner's thread: about
4 s, in most calls, on a 2-core CPU with the tutorial's DCGAN (``benchmarks/README.md``,
"Training speed"). A lecture that calls ``fit`` once per chunk of training loses that much per
chunk, and ``ganbook.checkpoint.train`` once per call.

:func:`tensorflow_batches` asks Keras for the very pipeline ``fit`` would build, so the batches
and their order stay the ones ``fit`` would draw, and switches autotuning off. ``tf.data``
datasets given to ``fit`` are used as they are. The JAX backend reads arrays and generators
without ``tf.data`` and needs none of this.
"""

from __future__ import annotations

import types

import keras
import numpy as np
from keras.src.trainers.data_adapters import get_data_adapter


def for_keras_fit(x, y, batch_size, fit_kwargs):
    """``(x, y, batch_size, fit_kwargs)`` as ``ganbook.GAN.fit`` hands them to ``keras.Model.fit``.

    numpy arrays and Python generators on TensorFlow become :func:`tensorflow_batches`
    (``fit``'s ``shuffle`` and ``steps_per_epoch`` among ``fit_kwargs`` say how); datasets and
    generators make their own batches, so ``batch_size`` goes as ``None`` with them.
    """
    arrays = isinstance(x, np.ndarray)
    if (arrays or isinstance(x, types.GeneratorType)) and keras.backend.backend() == "tensorflow":
        fit_kwargs = dict(fit_kwargs)
        shuffle, steps = fit_kwargs.pop("shuffle", True), fit_kwargs.get("steps_per_epoch")
        batches = tensorflow_batches(x, y, batch_size if arrays else None, shuffle, steps)
        fit_kwargs["shuffle"] = False  # the batches come in the order that shuffle asked for
        return batches, None, None, fit_kwargs
    return x, y, batch_size if arrays else None, fit_kwargs


def tensorflow_batches(x, y=None, batch_size=None, shuffle=True, steps_per_epoch=None):
    """The ``tf.data.Dataset`` of batches that ``keras.Model.fit(x, y, batch_size=batch_size,
    shuffle=shuffle, steps_per_epoch=steps_per_epoch)`` draws on TensorFlow, with tf.data's
    autotuning off.

    ``x`` (N, ...) and ``y`` (N,) or ``None`` are numpy arrays, or ``x`` is a Python generator
    of batches (``y`` and ``batch_size`` then ``None``; ``shuffle=True`` only brings Keras's
    warning that it is ignored). Each element is what ``fit`` hands its training step:
    ``x_batch``, or ``(x_batch, y_batch)``. For arrays the dataset declares its number of
    batches, so progress bars and callbacks know the epoch's length as before.
    """
    import tensorflow as tf

    adapter = get_data_adapter(
        x, y, batch_size=batch_size, steps_per_epoch=steps_per_epoch, shuffle=shuffle
    )
    options = tf.data.Options()
    options.autotune.enabled = False
    dataset = adapter.get_tf_dataset().with_options(options)
    if adapter.num_batches is None:  # a generator: as long as it runs
        return dataset
    return dataset.apply(tf.data.experimental.assert_cardinality(adapter.num_batches))
