"""Network builders: the DCGAN pair for 28x28 images, MLPs for 2-D data, conditional variants,
and the judge classifier.

Every builder returns a functional ``keras.Model`` whose input and output shapes are fixed, so the
trainer (:class:`ganbook.GAN`) can check that generator and discriminator fit together.

* Generators map noise ``z`` of shape ``(batch, latent_dim)`` (and, when conditional, integer
  labels of shape ``(batch,)``) to samples: images ``(batch, 28, 28, 1)`` in ``[-1, 1]`` (tanh) or
  points ``(batch, 2)``.
* Discriminators map samples to **logits** of shape ``(batch, 1)``: D(x) = sigmoid(logit). They
  return logits, not probabilities, because the losses are computed stably from logits.
* ``pack=m`` (PacGAN, Lin et al. 2018) builds a discriminator that judges m samples at once: their
  channels (images) or coordinates (points) are concatenated, see :func:`ganbook.game.pack`.

Notebook 01 explains convolutions and transposed convolutions; notebook 03 the DCGAN; notebook 04
the MLPs and packing.
"""

from __future__ import annotations

import keras
from keras import layers, ops

from ganbook import validate

IMAGE_SHAPE = (28, 28, 1)


def _hidden(hidden):
    """Hidden layer sizes as a tuple of positive ints (``hidden=(128, 128)``)."""
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, (list, tuple)):
        raise TypeError(f"hidden must be a tuple of layer sizes such as (128, 128), got {hidden!r}")
    return tuple(validate.integer(units, "hidden", minimum=1) for units in hidden)


def _name(name):
    if not isinstance(name, str):
        raise TypeError(f"name must be a non-empty string without '/', got {name!r}")
    if not name or "/" in name:
        raise ValueError(f"name must be a non-empty string without '/', got {name!r}")
    return name


def _channels(base, width):
    return max(1, round(base * width))


def _maybe_spectral(layer, spectral_norm):
    """Wrap ``layer`` in ``keras.layers.SpectralNormalization`` (Miyato et al. 2018) when asked."""
    return layers.SpectralNormalization(layer) if spectral_norm else layer


#: Group size of :class:`MinibatchStdDev` when ``minibatch_std=True`` (Karras et al. 2018 use 4).
MINIBATCH_GROUP = 4


@keras.saving.register_keras_serializable(package="ganbook")
class MinibatchStdDev(layers.Layer):
    """Minibatch standard deviation (Karras et al. 2018, "Progressive Growing of GANs", Sec. 3).

    Gives the discriminator one statistic of the whole batch, so it can see that the generated
    samples are too alike (mode collapse, notebook 04): the batch is split into groups of
    ``group_size`` samples; in each group the standard deviation of every feature (and pixel) is
    taken over the samples, averaged into one number, and appended to each sample of the group as
    an extra feature (vectors) or an extra constant channel (images).

    x (batch, F) -> (batch, F + 1);  x (batch, H, W, C) -> (batch, H, W, C + 1).

    As in the paper's code, group ``j`` holds samples ``j, j + M, j + 2M, ...`` with
    ``M = batch / group_size``; the batch must be a multiple of ``group_size`` (or smaller than
    it, in which case the whole batch forms one group). Samples then interact inside the
    discriminator, so per-sample input gradients (the WGAN-GP penalty) are only approximate.

    Args:
        group_size: samples per group, an integer >= 2.
        epsilon: added to the variance before the square root (a finite gradient at zero spread).
    """

    def __init__(self, group_size=MINIBATCH_GROUP, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = validate.integer(group_size, "group_size", minimum=2)
        self.epsilon = float(epsilon)

    def call(self, x):
        batch = ops.shape(x)[0]
        if isinstance(batch, int):
            group = min(self.group_size, batch)
        else:
            group = ops.minimum(self.group_size, batch)
        features = tuple(x.shape[1:])
        grouped = ops.reshape(x, (group, -1) + features)  # (G, M, ...): group j = x[j::M]
        variance = ops.var(grouped, axis=0)  # (M, ...), the biased variance, as in the paper
        axes = tuple(range(1, len(features) + 1))
        spread = ops.mean(ops.sqrt(variance + self.epsilon), axis=axes, keepdims=True)  # (M, 1..)
        plane = ops.zeros_like(grouped[..., :1]) + spread[None]  # (G, M, ..., 1)
        return ops.concatenate([x, ops.reshape(plane, (-1,) + features[:-1] + (1,))], axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] + 1,)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size, "epsilon": self.epsilon}


def _minibatch_group(minibatch_std):
    """Group size from a ``minibatch_std`` argument (False, True or an int >= 2), or None."""
    if minibatch_std is False or minibatch_std is None:
        return None
    if minibatch_std is True:
        return MINIBATCH_GROUP
    expected = f"minibatch_std must be False, True or a group size >= 2, got {minibatch_std!r}"
    if not isinstance(minibatch_std, int):
        raise TypeError(expected)
    if minibatch_std < 2:
        raise ValueError(expected)
    return minibatch_std


def _label_input(num_classes):
    validate.integer(num_classes, "num_classes", minimum=2)
    return keras.Input(shape=(), dtype="int32", name="labels")


def dcgan_generator(latent_dim=100, width=1.0, num_classes=None, name="generator"):
    """The DCGAN generator of the TensorFlow tutorial (Radford et al. 2016, "Unsupervised
    Representation Learning with Deep Convolutional GANs").

    z (batch, latent_dim) -> Dense(7*7*256w, no bias) - BatchNorm - LeakyReLU - reshape (7, 7, 256w)
    - Conv2DTranspose(128w, 5, stride 1) - BN - LReLU             -> (7, 7, 128w)
    - Conv2DTranspose(64w, 5, stride 2) - BN - LReLU              -> (14, 14, 64w)
    - Conv2DTranspose(1, 5, stride 2, tanh)                      -> (28, 28, 1) in [-1, 1]

    ``width`` scales every channel count (1.0 is the tutorial's 2.3 M parameters; the lecture
    profile uses a slimmer one). With ``num_classes`` the generator is class-conditional (Mirza and
    Osindero 2014): a learned label embedding of size 50 is concatenated to z.
    """
    latent_dim = validate.integer(latent_dim, "latent_dim", minimum=1)
    validate.number(width, "width", above=0)
    _name(name)
    z = keras.Input(shape=(latent_dim,), name="z")
    inputs, h = [z], z
    if num_classes is not None:
        labels = _label_input(num_classes)
        inputs.append(labels)
        h = layers.Concatenate()(
            [z, layers.Embedding(num_classes, 50, name="label_embedding")(labels)]
        )
    c1, c2, c3 = (_channels(c, width) for c in (256, 128, 64))
    h = layers.Dense(7 * 7 * c1, use_bias=False)(h)
    h = layers.BatchNormalization()(h)
    h = layers.LeakyReLU(0.3)(h)
    h = layers.Reshape((7, 7, c1))(h)
    for channels, stride in ((c2, 1), (c3, 2)):
        h = layers.Conv2DTranspose(channels, 5, strides=stride, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization()(h)
        h = layers.LeakyReLU(0.3)(h)
    x = layers.Conv2DTranspose(
        1, 5, strides=2, padding="same", use_bias=False, activation="tanh", name="image"
    )(h)
    return keras.Model(inputs if num_classes is not None else z, x, name=name)


def dcgan_discriminator(
    width=1.0,
    num_classes=None,
    pack=1,
    spectral_norm=False,
    dropout=0.3,
    minibatch_std=False,
    conditioning="channel",
    name="discriminator",
):
    """The DCGAN discriminator of the TensorFlow tutorial: images -> one logit.

    x (batch, 28, 28, pack) -> Conv2D(64w, 5, stride 2) - LeakyReLU - Dropout
    - Conv2D(128w, 5, stride 2) - LeakyReLU - Dropout - Flatten - Dense(1)  -> logits (batch, 1)

    No batch normalisation, so it also serves as a WGAN-GP critic (Gulrajani et al. 2017 forbid
    batch norm in the critic). ``spectral_norm=True`` wraps every weight layer in Keras's
    ``SpectralNormalization`` (Miyato et al. 2018). With ``num_classes`` the label enters in one
    of two ways. ``conditioning="channel"``: a label embedding is turned into a 28x28 plane and
    stacked on the image as an extra channel (Mirza and Osindero 2014). ``"projection"``
    (Miyato and Koyama 2018, "cGANs with Projection Discriminator"): the image alone goes
    through the network to features phi(x), and the logit is w.phi(x) + b + e(y).phi(x) for a
    learned embedding e(y) of the label, so D asks directly "does x look like a y?".
    ``minibatch_std=True`` (or a group size) inserts :class:`MinibatchStdDev` before the second
    convolution (Karras et al. 2018 put it before the last block), adding one channel.
    """
    validate.number(width, "width", above=0)
    group = _minibatch_group(minibatch_std)
    pack = validate.integer(pack, "pack", minimum=1)
    validate.flag(spectral_norm, "spectral_norm")
    _name(name)
    validate.number(dropout, "dropout", minimum=0, below=1)
    if num_classes is not None and pack != 1:
        raise ValueError(f"pack must be 1 for a conditional discriminator, got pack={pack!r}")
    if conditioning not in ("channel", "projection"):
        raise ValueError(f"conditioning must be 'channel' or 'projection', got {conditioning!r}")
    x = keras.Input(shape=(28, 28, pack), name="images")
    inputs, h = [x], x
    if num_classes is not None:
        labels = _label_input(num_classes)
        inputs.append(labels)
        if conditioning == "channel":
            plane = layers.Embedding(num_classes, 28 * 28, name="label_embedding")(labels)
            h = layers.Concatenate()([x, layers.Reshape((28, 28, 1))(plane)])
    for block, channels in enumerate((_channels(64, width), _channels(128, width))):
        if block == 1 and group:
            h = MinibatchStdDev(group, name="minibatch_std")(h)
        h = _maybe_spectral(layers.Conv2D(channels, 5, strides=2, padding="same"), spectral_norm)(h)
        h = layers.LeakyReLU(0.3)(h)
        if dropout:
            h = layers.Dropout(dropout)(h)
    h = layers.Flatten(name="features")(h)
    logits = _maybe_spectral(layers.Dense(1), spectral_norm)(h)
    if num_classes is not None and conditioning == "projection":
        embedding = layers.Embedding(num_classes, h.shape[-1], name="label_projection")(labels)
        logits = layers.Add()([logits, layers.Dot(axes=1)([embedding, h])])
    return keras.Model(inputs if num_classes is not None else x, logits, name=name)


def mlp_generator(
    latent_dim, out_dim=2, hidden=(128, 128, 128), num_classes=None, scale=1.0, name="generator"
):
    """A multilayer perceptron generator for low-dimensional data (the 2-D mixtures of notebook 04).

    z (batch, latent_dim) -> [Dense(h) - ReLU] for each h in ``hidden`` -> Dense(out_dim), linear
    -> times ``scale``. With ``scale`` the data's largest absolute coordinate, the network itself
    works at order 1, as image generators do with pixels in [-1, 1] (pair it with
    ``mlp_discriminator(scale=...)``).
    """
    latent_dim = validate.integer(latent_dim, "latent_dim", minimum=1)
    out_dim = validate.integer(out_dim, "out_dim", minimum=1)
    scale = validate.number(scale, "scale", above=0)
    hidden = _hidden(hidden)
    _name(name)
    z = keras.Input(shape=(latent_dim,), name="z")
    inputs, h = [z], z
    if num_classes is not None:
        labels = _label_input(num_classes)
        inputs.append(labels)
        h = layers.Concatenate()(
            [z, layers.Embedding(num_classes, 8, name="label_embedding")(labels)]
        )
    for units in hidden:
        h = layers.Dense(validate.integer(units, "hidden", minimum=1), activation="relu")(h)
    out = layers.Dense(out_dim, name="points")(h)
    if scale != 1:
        out = layers.Rescaling(scale, name="to_data_units")(out)
    return keras.Model(inputs if num_classes is not None else z, out, name=name)


def mlp_discriminator(
    in_dim=2,
    hidden=(128, 128, 128),
    pack=1,
    num_classes=None,
    spectral_norm=False,
    minibatch_std=False,
    scale=1.0,
    name="discriminator",
):
    """A multilayer perceptron discriminator: points (batch, in_dim * pack) -> logits (batch, 1).

    Divide by ``scale`` -> [Dense(h) - LeakyReLU(0.2)] for each h in ``hidden`` -> Dense(1). With
    ``pack=m`` it takes m points concatenated (PacGAN). ``minibatch_std=True`` (or a group size)
    inserts :class:`MinibatchStdDev` before the last hidden layer (Karras et al. 2018), adding one
    feature. ``scale``: the data's largest absolute coordinate, so that the layers see points of
    order 1 (as ``mlp_generator(scale=...)``).
    """
    in_dim = validate.integer(in_dim, "in_dim", minimum=1)
    scale = validate.number(scale, "scale", above=0)
    pack = validate.integer(pack, "pack", minimum=1)
    hidden = _hidden(hidden)
    validate.flag(spectral_norm, "spectral_norm")
    _name(name)
    group = _minibatch_group(minibatch_std)
    if num_classes is not None and pack != 1:
        raise ValueError(f"pack must be 1 for a conditional discriminator, got pack={pack!r}")
    x = keras.Input(shape=(in_dim * pack,), name="points")
    inputs, h = [x], x
    if scale != 1:
        h = layers.Rescaling(1 / scale, name="to_unit_scale")(h)
    if num_classes is not None:
        labels = _label_input(num_classes)
        inputs.append(labels)
        h = layers.Concatenate()(
            [h, layers.Embedding(num_classes, 8, name="label_embedding")(labels)]
        )
    for i, units in enumerate(hidden):
        if group and i == len(hidden) - 1:
            h = MinibatchStdDev(group, name="minibatch_std")(h)
        h = _maybe_spectral(
            layers.Dense(validate.integer(units, "hidden", minimum=1)), spectral_norm
        )(h)
        h = layers.LeakyReLU(0.2)(h)
    if group and not hidden:
        h = MinibatchStdDev(group, name="minibatch_std")(h)
    logits = _maybe_spectral(layers.Dense(1), spectral_norm)(h)
    return keras.Model(inputs if num_classes is not None else x, logits, name=name)


def judge(num_classes=10, width=1.0, name="judge"):
    """The judge: a small CNN digit classifier whose penultimate layer feeds the metrics.

    images (batch, 28, 28, 1) in [-1, 1] -> Conv(32w, 3) - ReLU - Conv(32w, 3) - ReLU - MaxPool
    - Conv(64w, 3) - ReLU - Conv(64w, 3) - ReLU - MaxPool - Flatten - Dense(128, ReLU, "features")
    - Dropout(0.3) - Dense(num_classes, softmax, "probabilities").

    Trained in notebook 01 (about 99 % test accuracy on MNIST); notebooks 03 to 05 use it for the
    classifier score, the Frechet distance on its 128 features and class coverage
    (see :mod:`ganbook.judging`).
    """
    validate.integer(num_classes, "num_classes", minimum=2)
    validate.number(width, "width", above=0)
    _name(name)
    x = keras.Input(shape=IMAGE_SHAPE, name="images")
    h = x
    for channels in (32, 64):
        for _ in range(2):
            h = layers.Conv2D(_channels(channels, width), 3, padding="same", activation="relu")(h)
        h = layers.MaxPooling2D()(h)
    h = layers.Flatten()(h)
    h = layers.Dense(128, activation="relu", name="features")(h)
    h = layers.Dropout(0.3)(h)
    probabilities = layers.Dense(num_classes, activation="softmax", name="probabilities")(h)
    return keras.Model(x, probabilities, name=name)


# ----------------------------------------------------------------------- translation (notebook 06)


def _instance_norm():
    """Instance normalisation (Ulyanov et al. 2016): each image's channels normalised on their
    own, with no running statistics (``GroupNormalization`` with one group per channel)."""
    return layers.GroupNormalization(groups=-1, epsilon=1e-5)


def unet_generator(channels=1, width=1.0, skip_connections=True, name="unet"):
    """The translation generator of pix2pix (Isola et al. 2017), sized for 28x28 images.

    images (batch, 28, 28, channels) in [-1, 1] -> images (batch, 28, 28, 1) in [-1, 1] (tanh):

    * encoder: Conv(64w, 4, stride 2) - LeakyReLU(0.2)                       -> 14x14 ("e1")
      Conv(128w, 4, stride 2) - InstanceNorm - LeakyReLU(0.2)                -> 7x7 ("e2")
      Conv(256w, 3) - InstanceNorm - ReLU                                    -> 7x7 bottleneck
    * decoder: ConvTranspose(128w, 4, stride 2) - InstanceNorm - ReLU        -> 14x14
      ConvTranspose(64w, 4, stride 2) - InstanceNorm - ReLU                  -> 28x28
      Conv(1, 3) - tanh

    With ``skip_connections`` (the U-Net, Ronneberger et al. 2015), each decoder block also gets
    the encoder's feature map of the same size, concatenated on the channels: the 7x7 map before
    the first up-sampling, the 14x14 map ``e1`` before the second, and the input itself before the
    last convolution. Low-level detail (where the strokes are) then need not squeeze through the
    7x7 bottleneck. Without them it is the plain encoder-decoder that Isola et al. compare against
    (their Fig. 5); CycleGAN's generator (Zhu et al. 2017) has no such long skips either.

    Isola et al. normalise with batch norm at batch size 1, which is instance normalisation;
    here it is instance normalisation at any batch size. There is no dropout noise: Isola et al.
    found that their generator learned to ignore it.
    """
    validate.integer(channels, "channels", minimum=1)
    validate.number(width, "width", above=0)
    validate.flag(skip_connections, "skip_connections")
    _name(name)
    x = keras.Input(shape=(28, 28, channels), name="source")
    e1 = layers.LeakyReLU(0.2)(layers.Conv2D(_channels(64, width), 4, 2, padding="same")(x))
    e2 = layers.Conv2D(_channels(128, width), 4, 2, padding="same", use_bias=False)(e1)
    e2 = layers.LeakyReLU(0.2)(_instance_norm()(e2))
    h = layers.Conv2D(_channels(256, width), 3, padding="same", use_bias=False)(e2)
    h = layers.ReLU()(_instance_norm()(h))
    for skip, base in ((e2, 128), (e1, 64)):
        if skip_connections:
            h = layers.Concatenate()([h, skip])
        h = layers.Conv2DTranspose(_channels(base, width), 4, 2, padding="same", use_bias=False)(h)
        h = layers.ReLU()(_instance_norm()(h))
    if skip_connections:
        h = layers.Concatenate()([h, x])
    out = layers.Conv2D(1, 3, padding="same", activation="tanh", name="translated")(h)
    return keras.Model(x, out, name=name)


#: The PatchGAN's layers as (kernel, stride), first to last: :func:`receptive_field` of these.
PATCHGAN_LAYERS = ((4, 2), (4, 2), (4, 1))


def patchgan_discriminator(condition_channels=1, width=1.0, name="patchgan"):
    """The PatchGAN discriminator of pix2pix (Isola et al. 2017): one logit per image patch.

    [condition (batch, 28, 28, c),] image (batch, 28, 28, 1) -> logits (batch, 7, 7, 1).

    Conv(64w, 4, stride 2) - LeakyReLU(0.2) - Conv(128w, 4, stride 2) - InstanceNorm
    - LeakyReLU(0.2) - Conv(1, 4, stride 1). Each of the 7x7 logits says whether one 22x22
    window (:func:`receptive_field` of :data:`PATCHGAN_LAYERS`) looks real, and the loss averages
    them: D judges texture and sharpness locally and leaves the global layout to the L1 term.
    Isola et al.'s 70x70 PatchGAN on 256x256 photos has the same structure with more layers.

    With ``condition_channels`` > 0 (pix2pix) D sees the input image stacked on the output, so it
    judges the *pair*: "is this a real digit for this skeleton?". With 0 (CycleGAN) D sees the
    image alone and takes a single input.
    """
    validate.integer(condition_channels, "condition_channels", minimum=0)
    validate.number(width, "width", above=0)
    _name(name)
    image = keras.Input(shape=IMAGE_SHAPE, name="image")
    inputs, h = [image], image
    if condition_channels:
        condition = keras.Input(shape=(28, 28, condition_channels), name="condition")
        inputs = [condition, image]
        h = layers.Concatenate()([condition, image])
    (k1, s1), (k2, s2), (k3, s3) = PATCHGAN_LAYERS
    h = layers.LeakyReLU(0.2)(layers.Conv2D(_channels(64, width), k1, s1, padding="same")(h))
    h = layers.Conv2D(_channels(128, width), k2, s2, padding="same", use_bias=False)(h)
    h = layers.LeakyReLU(0.2)(_instance_norm()(h))
    logits = layers.Conv2D(1, k3, s3, padding="same", name="patch_logits")(h)
    return keras.Model(inputs if condition_channels else image, logits, name=name)


def receptive_field(kernels_and_strides):
    """The side, in input pixels, of the window one output unit of a stack of convolutions sees.

    ``kernels_and_strides``: ((kernel, stride), ...) from the first layer to the last. Walking
    back from one output unit (a window of 1), each layer with kernel k and stride s widens the
    window to ``(window - 1) * s + k`` (Araujo, Norris and Sim 2019, "Computing Receptive Fields
    of Convolutional Neural Networks"). For :data:`PATCHGAN_LAYERS` it is 22.
    """
    if isinstance(kernels_and_strides, (str, bytes)) or not hasattr(
        kernels_and_strides, "__iter__"
    ):
        raise TypeError(
            f"kernels_and_strides must be ((kernel, stride), ...), got {kernels_and_strides!r}"
        )
    window = 1
    for layer in reversed(list(kernels_and_strides)):
        if len(layer) != 2:
            raise ValueError(f"each layer must be a (kernel, stride) pair, got {layer!r}")
        kernel, stride = (validate.integer(v, "kernel and stride", minimum=1) for v in layer)
        window = (window - 1) * stride + kernel
    return window
