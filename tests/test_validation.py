"""Input validation of the public API: a malformed input gives a clear error, never a framework
traceback or a hang.

Hypothesis throws malformed inputs at every public function, one argument at a time while the
others stay valid: arrays of the wrong rank or size, empty arrays, the wrong dtype (object, str,
bool, int, float16, complex), NaN and infinities, values out of range, things that are not arrays
at all (None, strings, dicts, ragged lists), and bad scalars (negative, zero, huge, float where an
int belongs, strings, None). Only what is malformed *for that function* is drawn (a loss takes
logits of any shape, so it is not given a wrong shape as a mistake). Every call must, within a
time limit, raise ``ValueError`` or ``TypeError`` that

* names the malformed argument in its message, and
* comes from ganbook's own checks: the innermost frame of the traceback is in the ``ganbook``
  package, not deep inside numpy, Keras, TensorFlow, JAX or scipy.

The number of cases generated is printed at the end of the run (``validation cases: N``).
Runs on the active Keras backend (``KERAS_BACKEND=jax`` for JAX).
"""

from __future__ import annotations

import collections
import contextlib
import math
import re
import signal
import tempfile
import traceback
from pathlib import Path

import keras
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ganbook
from ganbook import checkpoint, data, judging, losses, metrics, nets, profiles, theory
from ganbook.gan import GAN

PACKAGE = Path(ganbook.__file__).resolve().parent
TIME_LIMIT_S = 60  # one call; generous for a first trace on a busy 2-core machine
CASES = collections.Counter()

SETTINGS = dict(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)


def few(n):
    """Hypothesis settings for one function: ``n`` examples, no deadline, reproducible."""
    return settings(max_examples=n, **SETTINGS)


# --------------------------------------------------------------------------- the check


class CallTimedOut(BaseException):
    """A call ran past TIME_LIMIT_S (BaseException: no ``except Exception`` can swallow it)."""


@contextlib.contextmanager
def time_limit(seconds):
    def expire(signum, frame):
        raise CallTimedOut(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def short(value):
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape}, dtype={value.dtype})"
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def check(function, argument, /, *args, **kwargs):
    """Call ``function`` with a malformed ``argument``: it must refuse it with a clear error.

    Returns the error raised. Accepting the input fails the test: the strategies draw only what
    is malformed for the function under test (``malformed_arrays(..., accepts=...)``).
    """
    CASES[getattr(function, "__qualname__", str(function))] += 1
    shown = {k: short(v) for k, v in kwargs.items()}
    call = f"{function.__qualname__}({', '.join(map(short, args))}, {shown}) [bad: {argument}]"
    try:
        with time_limit(TIME_LIMIT_S):
            function(*args, **kwargs)
    except (ValueError, TypeError) as error:
        message = str(error)
        assert re.search(rf"(?<![A-Za-z0-9_]){re.escape(argument)}(?![A-Za-z0-9_])", message), (
            f"{call}: the message does not name {argument!r}: {type(error).__name__}: {message}"
        )
        innermost = Path(traceback.extract_tb(error.__traceback__)[-1].filename).resolve()
        assert PACKAGE in innermost.parents, (
            f"{call}: {type(error).__name__} raised in {innermost}, not by ganbook's checks: "
            f"{message}"
        )
        return error
    except CallTimedOut as timeout:
        pytest.fail(f"{call}: {timeout}")
    except Exception as error:  # noqa: BLE001 - the point: any other exception is a failure
        pytest.fail(f"{call}: {type(error).__name__} instead of ValueError/TypeError: {error}")
    pytest.fail(f"{call}: accepted the malformed {argument}")


@pytest.fixture(scope="module", autouse=True)
def report_the_number_of_cases(request):
    """Print how many malformed calls this module made, after its last test (any selection)."""
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nvalidation cases: {sum(CASES.values())} calls of {len(CASES)} functions")


# --------------------------------------------------------------------------- strategies

NAN, INF = math.nan, math.inf
BAD_DTYPES = ["object", "str", "bool", "int64", "uint8", "float16", "float64", "complex128"]


def non_arrays():
    return st.sampled_from(
        [None, "abc", b"x", 3.5, 7, True, 1j, {"a": 1}, [[1.0, "a"]], [[1.0, 2.0], [3.0]], ()]
    ) | st.builds(object)


CHANGES = ["add_first", "add_last", "flatten", "drop_first", "size"]
KINDS = BAD_DTYPES + ["nonfinite", "range", *CHANGES, "empty", "list", "non-array"]
ANY_SHAPE = ("add_first", "add_last", "flatten", "drop_first", "size")
NUMBERS = ("int64", "uint8", "float16", "float64", "list")  # any real dtype, or nested lists
# Losses take logits of any shape and let NaN through, so that the NumericGuard sees it.
ANY_LOGITS = (*ANY_SHAPE, *NUMBERS, "range", "nonfinite")
# A grid of points for a density: any shape, any finite or infinite values.
MIXTURE_X = (*NUMBERS, "object", "range", "nonfinite", *ANY_SHAPE, "empty")


@st.composite
def malformed_arrays(draw, shape, low=-1.0, high=1.0, dtype="float32", accepts=()):
    """Arrays near a valid one of ``shape`` (values in [low, high]), each broken in one way.

    The ways are named in ``KINDS``: a dtype of ``BAD_DTYPES``, a NaN or infinity ("nonfinite"),
    a value far outside [low, high] ("range"), one axis more, less or longer (``CHANGES``), no
    rows ("empty"), nested lists ("list") or no array at all ("non-array"). ``accepts`` names
    the ways that the function under test rightly takes (a loss takes logits of any shape, for
    example); they are not drawn, so everything drawn must be refused.
    """
    unknown = set(accepts) - set(KINDS)
    assert not unknown, f"unknown kinds {unknown}"
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    valid = rng.uniform(low, high, shape).astype(dtype)
    no_change = {dtype} | ({"flatten"} if len(shape) == 1 else set())  # flat already
    kind = draw(st.sampled_from([k for k in KINDS if k not in accepts and k not in no_change]))
    if kind in BAD_DTYPES:
        return valid + 1j if kind == "complex128" else valid.astype(kind)
    if kind in ("nonfinite", "range"):
        x = valid.astype("float64")
        spoilers = (
            [NAN, INF, -INF]
            if kind == "nonfinite"
            else [-1e30, -1e6, low - 1.0, high + 1.0, 1e6, 1e30]
        )
        x.flat[draw(st.integers(0, x.size - 1))] = draw(st.sampled_from(spoilers))
        return x.astype(draw(st.sampled_from(["float32", "float64"])))
    if kind == "add_first":
        return valid[None]
    if kind == "add_last":
        return valid[..., None]
    if kind == "flatten":
        return valid.reshape(-1)
    if kind == "drop_first":
        return valid[0]
    if kind == "size":
        grow = draw(st.booleans())
        return np.concatenate([valid, valid[..., :1]], axis=-1) if grow else valid[..., :-1]
    if kind == "empty":
        return valid[:0]
    if kind == "list":
        return valid.tolist()
    return draw(non_arrays())


def is_not_a_scalar_or_tuple(value):
    """False for 7, 3.5 and (): numbers a density broadcasts and an empty grid, both valid."""
    return isinstance(value, (bool, np.ndarray, list)) or not isinstance(value, (int, float, tuple))


def bad_counts(huge=True):
    """Not a positive integer; ``huge`` adds integers far beyond any machine's memory."""
    values = st.integers(-(10**6), 0) | st.sampled_from(
        [2.0, 2.5, NAN, INF, "3", None, True, [2], 1j, np.float64(3.0)]
    )
    return values | st.sampled_from([2**64, 10**30]) if huge else values


def bad_positive_reals():
    """Not a positive finite real number."""
    return st.floats(max_value=0.0) | st.sampled_from(
        [NAN, INF, -INF, "0.1", None, True, [0.1], 1j, np.array([1.0, 2.0])]
    )


def bad_fractions(upper):
    """Not a real number in [0, upper)."""
    return (
        st.floats(min_value=upper)
        | st.floats(max_value=-1e-9)
        | st.sampled_from([NAN, "0.1", None, [0.1], 1j])
    )


def bad_seeds(numpy=False):
    """Not a seed; with ``numpy``, not one that ``numpy.random.default_rng`` takes (any size)."""
    values = st.integers(max_value=-1) | st.sampled_from([1.5, "abc", [1.5], 1j, True, {"seed": 1}])
    return values if numpy else values | st.just(2**64)


def bad_paths():
    return st.sampled_from([3, 2.5, b"/tmp", "", "  ", "/no/such/folder/at/all", [""], True])


def draw_bad(draw, choices):
    """One argument name of ``choices`` and a malformed value for it."""
    name = draw(st.sampled_from(sorted(choices)))
    return name, draw(choices[name])


# --------------------------------------------------------------------------- data


@few(60)
@given(draw=st.data())
def test_mixtures(draw):
    for function, valid, sizes in (
        (data.ring, {"modes": 8, "radius": 1.0}, ("modes", "radius")),
        (data.grid, {"side": 5, "spacing": 2.0}, ("side", "spacing")),
    ):
        count, scale = sizes
        name, value = draw_bad(
            draw.draw,
            {
                "n": bad_counts(),
                count: bad_counts(),
                scale: bad_positive_reals(),
                "std": bad_positive_reals(),
                "seed": bad_seeds(numpy=True),
            },
        )
        check(function, name, **{"n": 50, "seed": 0, "std": 0.05, **valid, name: value})
    # Finite but enormous scales overflow float32: refused, not returned as inf.
    check(data.ring, "radius", 10, radius=1e300)


@few(40)
@given(
    malformed_arrays((3, 6, 6), 0, 255, "uint8", accepts=("add_first", "add_last", "size", "empty"))
)
def test_to_unit_range(images):
    check(data.to_unit_range, "images", images)


@few(40)
@given(
    malformed_arrays(
        (3, 6, 6),
        accepts=(
            *NUMBERS,
            "object",
            "range",
            "nonfinite",
            "add_first",
            "add_last",
            "size",
            "empty",
        ),
    )
)
def test_from_unit_range(x):
    check(data.from_unit_range, "x", x)


@few(40)
@given(malformed_arrays((3, 28, 28), accepts=(*NUMBERS, "object", "add_last")))
def test_check_images(x):
    check(data.check_images, "images", x, argument="images")


@few(15)
@given(draw=st.data())
def test_load_mnist_arguments(draw):
    # One argument at a time is bad, so the loader refuses before looking for or fetching files.
    name, value = draw_bad(
        draw.draw,
        {
            "split": st.sampled_from([None, "TRAIN", "validation", 3, ["train"], b"train", ""]),
            "path": bad_paths(),
        },
    )
    kwargs = {"split": "train", "path": None, name: value}
    check(data.load_mnist, name, **kwargs)


def test_load_mnist_path_must_be_a_folder(tmp_path):
    file = tmp_path / "mnist.npz"
    file.write_bytes(b"")
    assert isinstance(check(data.load_mnist, "path", "train", path=file), ValueError)


@few(40)
@given(malformed_arrays((2, 28, 28), 0, 255, "uint8", accepts=("add_last", "empty")))
def test_as_network_input(images):
    check(judging.as_network_input, "images", images)


# --------------------------------------------------------------------------- metrics


def probabilities(n=6, k=3, seed=0):
    logits = np.random.default_rng(seed).normal(size=(n, k))
    return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)


@few(50)
@given(draw=st.data())
def test_mixture_quality(draw):
    samples, centers = data.ring(40, seed=0)
    name, value = draw_bad(
        draw.draw,
        {
            "samples": malformed_arrays((40, 2), -1.5, 1.5, accepts=(*NUMBERS, "object", "range")),
            "centers": malformed_arrays((8, 2), accepts=(*NUMBERS, "object", "range")),
            "std": bad_positive_reals(),
            "num_std": bad_positive_reals(),
        },
    )
    kwargs = {"samples": samples, "centers": centers, "std": 0.01, "num_std": 3.0, name: value}
    check(metrics.mixture_quality, name, **kwargs)


@few(40)
@given(draw=st.data())
def test_frechet_distance(draw):
    rng = np.random.default_rng(0)
    name, value = draw_bad(
        draw.draw,
        {
            "features_a": malformed_arrays((10, 3), accepts=(*NUMBERS, "object", "range")),
            "features_b": malformed_arrays((12, 3), accepts=(*NUMBERS, "object", "range")),
            "eps": bad_positive_reals(),
        },
    )
    kwargs = {
        "features_a": rng.normal(size=(10, 3)),
        "features_b": rng.normal(size=(12, 3)),
        "eps": 1e-6,
        name: value,
    }
    check(metrics.frechet_distance, name, **kwargs)


@few(30)
@given(draw=st.data())
def test_frechet_distance_from_statistics(draw):
    valid = {"mu_a": np.zeros(3), "sigma_a": np.eye(3), "mu_b": np.ones(3), "sigma_b": np.eye(3)}
    name, value = draw_bad(
        draw.draw,
        {
            "mu_a": malformed_arrays((3,), accepts=(*NUMBERS, "object", "range")),
            "mu_b": malformed_arrays((3,), accepts=(*NUMBERS, "object", "range")),
            "sigma_a": malformed_arrays((3, 3), 0, 1, accepts=(*NUMBERS, "object", "range")),
            "sigma_b": malformed_arrays((3, 3), 0, 1, accepts=(*NUMBERS, "object", "range")),
        },
    )
    check(metrics.frechet_distance_from_statistics, name, **{**valid, name: value})


@few(40)
@given(draw=st.data())
def test_classifier_score_and_class_coverage(draw):
    check(
        metrics.classifier_score,
        "probabilities",
        draw.draw(malformed_arrays((6, 3), 0, 1) | st.just(probabilities() * 2)),
    )
    name, value = draw_bad(
        draw.draw,
        {
            "probabilities": malformed_arrays((6, 3), 0, 1),
            "min_fraction": bad_fractions(1.0 + 1e-9),
        },
    )
    check(
        metrics.class_coverage,
        name,
        **{"probabilities": probabilities(), "min_fraction": 0.1, name: value},
    )


# --------------------------------------------------------------------------- theory

GRID = np.linspace(-6, 6, 121)
DX = float(GRID[1] - GRID[0])
P_DATA, P_G = theory.gaussian(GRID, 0.0, 1.0), theory.gaussian(GRID, 1.0, 1.5)


@few(40)
@given(draw=st.data())
def test_gaussian_and_mixture_density(draw):
    name, value = draw_bad(
        draw.draw,
        {
            "x": malformed_arrays((5,), -3, 3, accepts=MIXTURE_X).filter(is_not_a_scalar_or_tuple),
            "mean": st.sampled_from([NAN, INF, -INF, "0", None, [0.0], 1j, True]),
            "std": bad_positive_reals(),
        },
    )
    check(theory.gaussian, name, **{"x": GRID[:5], "mean": 0.0, "std": 1.0, name: value})
    name, value = draw_bad(
        draw.draw,
        {
            "x": malformed_arrays((5,), -3, 3, accepts=MIXTURE_X).filter(is_not_a_scalar_or_tuple),
            "means": malformed_arrays((2,), -1, 1, accepts=(*NUMBERS, "object", "range")),
            "stds": malformed_arrays(
                (2,),
                0.5,
                1,
                accepts=(*NUMBERS, "object", "range", "drop_first", "flatten", "non-array"),
            )
            | bad_positive_reals(),
            "weights": malformed_arrays((2,), 0.4, 0.6),
        },
    )
    valid = {"x": GRID[:5], "means": [-1.0, 1.0], "stds": [1.0, 0.5], "weights": [0.5, 0.5]}
    check(theory.mixture_density, name, **{**valid, name: value})


@few(60)
@given(draw=st.data())
def test_minimax_game_on_a_grid(draw):
    function, names = draw.draw(
        st.sampled_from(
            [
                (theory.optimal_discriminator, ("p_data", "p_g")),
                (theory.value_function, ("d", "p_data", "p_g", "dx")),
                (theory.virtual_training_criterion, ("p_data", "p_g", "dx")),
                (theory.kl, ("p", "q", "dx")),
                (theory.jsd, ("p", "q", "dx")),
            ]
        )
    )
    valid = {"p_data": P_DATA, "p_g": P_G, "p": P_DATA, "q": P_G, "d": np.full(121, 0.5), "dx": DX}
    choices = {
        n: malformed_arrays((121,), 0.0, 0.4, accepts=(*NUMBERS, "object", "range"))
        for n in names
        if n != "dx"
    }
    if "dx" in names:
        choices["dx"] = bad_positive_reals()
    name, value = draw_bad(draw.draw, choices)
    check(function, name, **{**{n: valid[n] for n in names}, name: value})


# --------------------------------------------------------------------------- losses


def critic(x):
    return keras.ops.sum(x, axis=1, keepdims=True)


@few(50)
@given(draw=st.data())
def test_losses(draw):
    logits = np.zeros((4, 1), "float32")
    one = draw.draw(
        st.sampled_from(
            [
                losses.generator_loss_minimax,
                losses.generator_loss_nonsaturating,
                losses.wasserstein_generator_loss,
                losses.hinge_generator_loss,
            ]
        )
    )
    argument = "fake_scores" if one is losses.wasserstein_generator_loss else "fake_logits"
    check(
        one,
        argument,
        draw.draw(malformed_arrays((4, 1), -5, 5, accepts=ANY_LOGITS)),
    )
    two = draw.draw(
        st.sampled_from(
            [
                losses.discriminator_loss,
                losses.value_from_logits,
                losses.wasserstein_critic_loss,
                losses.hinge_discriminator_loss,
            ]
        )
    )
    names = (
        ("real_scores", "fake_scores")
        if two is losses.wasserstein_critic_loss
        else ("real_logits", "fake_logits")
    )
    name, value = draw_bad(
        draw.draw,
        {n: malformed_arrays((4, 1), -5, 5, accepts=ANY_LOGITS) for n in names},
    )
    check(two, name, **{names[0]: logits, names[1]: logits, name: value})
    check(
        losses.discriminator_loss,
        "label_smoothing",
        logits,
        logits,
        label_smoothing=draw.draw(bad_fractions(1.0)),
    )


@few(40)
@given(draw=st.data())
def test_gradient_penalty_and_its_parts(draw):
    real, fake = np.zeros((4, 3), "float32"), np.ones((4, 3), "float32")
    name, value = draw_bad(
        draw.draw,
        {
            "real": malformed_arrays((4, 3), accepts=(*NUMBERS, "range", "nonfinite")),
            "fake": malformed_arrays((4, 3), accepts=(*NUMBERS, "range", "nonfinite")),
            "seed": bad_seeds(),
            "critic": non_arrays(),
        },
    )
    valid = {"critic": critic, "real": real, "fake": fake, "seed": 0}
    check(losses.gradient_penalty, name, **{**valid, name: value})
    if name != "critic":
        del valid["critic"]
        check(losses.interpolate, name, **{**valid, name: value})
    any_gradients = ANY_LOGITS
    grads = malformed_arrays((4, 3), accepts=any_gradients)
    check(losses.penalty_from_gradients, "grads", draw.draw(grads))
    check(
        losses.input_gradients,
        "x",
        critic,
        draw.draw(malformed_arrays((4, 3), accepts=any_gradients)),
    )


# --------------------------------------------------------------------------- networks


def bad_names():
    return st.sampled_from([3, "", None, "a/b", b"gen"])


@few(40)
@given(draw=st.data())
def test_network_builders(draw):
    # Sizes are refused when malformed; huge but well-formed sizes are not drawn here: a
    # network that big would only be slow to build, not wrong.
    builder, choices, valid = draw.draw(
        st.sampled_from(
            [
                (
                    nets.mlp_generator,
                    {
                        "latent_dim": bad_counts(False),
                        "out_dim": bad_counts(False),
                        "hidden": st.sampled_from([5, None, "64", (8, 0), (8, 2.5)]),
                        "num_classes": bad_counts(False).filter(lambda v: v is not None),
                        "name": bad_names(),
                    },
                    {"latent_dim": 4, "hidden": (8,)},
                ),
                (
                    nets.mlp_discriminator,
                    {
                        "in_dim": bad_counts(False),
                        "pack": bad_counts(False),
                        "hidden": st.sampled_from([5, None, (8, -1)]),
                        "spectral_norm": st.sampled_from(["no", 1, None]),
                        "name": bad_names(),
                    },
                    {"hidden": (8,)},
                ),
                (
                    nets.dcgan_generator,
                    {
                        "latent_dim": bad_counts(False),
                        "width": bad_positive_reals(),
                        "num_classes": bad_counts(False).filter(lambda v: v is not None),
                        "name": bad_names(),
                    },
                    {"latent_dim": 4, "width": 0.125},
                ),
                (
                    nets.dcgan_discriminator,
                    {
                        "width": bad_positive_reals(),
                        "pack": bad_counts(False),
                        "dropout": bad_fractions(1.0),
                        "spectral_norm": st.sampled_from(["no", 1, None]),
                        "num_classes": bad_counts(False).filter(lambda v: v is not None),
                        "name": bad_names(),
                    },
                    {"width": 0.125},
                ),
                (
                    nets.judge,
                    {
                        "num_classes": bad_counts(False) | st.just(1),
                        "width": bad_positive_reals(),
                        "name": bad_names(),
                    },
                    {"width": 0.125},
                ),
            ]
        )
    )
    name, value = draw_bad(draw.draw, choices)
    check(builder, name, **{**valid, name: value})


# --------------------------------------------------------------------------- the trainer


@pytest.fixture(scope="module")
def pair():
    ganbook.set_seed(0)
    return nets.mlp_generator(4, hidden=(8,)), nets.mlp_discriminator(hidden=(8,))


@pytest.fixture(scope="module")
def conditional_pair():
    return (
        nets.mlp_generator(4, hidden=(8,), num_classes=3),
        nets.mlp_discriminator(hidden=(8,), num_classes=3),
    )


def adam():
    return keras.optimizers.Adam(1e-3)


def not_models():
    return st.sampled_from([None, "generator", 3, keras.layers.Dense(2), keras.Model])


@few(30)
@given(draw=st.data())
def test_gan_constructor(draw, pair, conditional_pair):
    g, d = pair
    wide_logits = keras.Model(d.inputs, keras.layers.Dense(3)(d.inputs[0]))
    name, value = draw_bad(
        draw.draw,
        {
            "generator": not_models(),
            "discriminator": not_models() | st.just(wide_logits),
            "latent_dim": bad_counts() | st.sampled_from([5, "4"]),
            "num_classes": bad_counts() | st.sampled_from([1, 3]),
            "seed": bad_seeds() | st.sampled_from([2**32, 2**40]),
        },
    )
    check(GAN, name, **{"generator": g, "discriminator": d, name: value})
    # A conditional generator with an unconditional discriminator.
    check(GAN, "discriminator", conditional_pair[0], d, num_classes=3)


@few(30)
@given(draw=st.data())
def test_gan_compile(draw, pair):
    name, value = draw_bad(
        draw.draw,
        {
            "g_optimizer": st.sampled_from(["adam", None, keras.optimizers.Adam, 1e-3]),
            "d_optimizer": st.sampled_from(["adam", None, keras.optimizers.Adam]),
            "loss": st.sampled_from([None, "wasserstein", "WGAN-GP", ["hinge"], 1]),
            "n_critic": bad_counts(),
            "pack": bad_counts() | st.just(2),
            "gp_weight": st.sampled_from([-1.0, NAN, INF, "10", None, [10.0], 1j]),
            "label_smoothing": bad_fractions(0.5),
            "mode_seeking": st.sampled_from([-1.0, NAN, INF, "1", None, [1.0]]),
            "jit_compile": st.sampled_from(["yes", 1, None, "xla"]),
            "steps_per_execution": bad_counts(),
        },
    )
    gan = GAN(*pair)
    check(gan.compile, name, **{"g_optimizer": adam(), "d_optimizer": adam(), name: value})


@pytest.fixture(scope="module")
def compiled_gans(pair, conditional_pair):
    gan = GAN(*pair)
    gan.compile(adam(), adam())
    cgan = GAN(*conditional_pair, num_classes=3)
    cgan.compile(adam(), adam())
    return gan, cgan


@few(15)
@given(draw=st.data())
def test_gan_fit_rejects_before_training(draw, compiled_gans):
    gan, cgan = compiled_gans
    x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    y = np.arange(64) % 3
    name, value = draw_bad(
        draw.draw,
        {
            "x": malformed_arrays((64, 2), -2, 2).filter(lambda v: not isinstance(v, list)),
            "y": malformed_arrays((64,), 0, 2, "int64"),
            "batch_size": bad_counts(huge=False) | st.sampled_from([65, 10**9]),
            "epochs": bad_counts(huge=False),
        },
    )
    model = cgan if name == "y" else gan
    steps = int(model.g_optimizer.iterations.numpy()) if model.g_optimizer.built else 0
    kwargs = {"x": x, "y": y if model is cgan else None, "batch_size": 16, "epochs": 1, name: value}
    result = check(model.fit, name, verbose=0, **kwargs)
    if isinstance(result, Exception) and model.g_optimizer.built:
        assert int(model.g_optimizer.iterations.numpy()) == steps, "trained before refusing"


@few(40)
@given(draw=st.data())
def test_gan_generate(draw, compiled_gans):
    gan, cgan = compiled_gans
    name, value = draw_bad(
        draw.draw,
        {
            "n": bad_counts(huge=False),
            "seed": bad_seeds(numpy=True),
            "batch_size": bad_counts(huge=False),
            "labels": malformed_arrays((5,), 0, 2, "int64", accepts=("list", "uint8"))
            | st.sampled_from([3, -1, 1.5, "a", None]),
        },
    )
    model = cgan if name == "labels" else gan
    kwargs = {"n": 5, "seed": 0, "labels": 1 if model is cgan else None, name: value}
    check(model.generate, name, **kwargs)
    name, value = draw_bad(
        draw.draw,
        {
            "z": malformed_arrays((5, 4), -3, 3, accepts=(*NUMBERS, "range")),
            "batch_size": bad_counts(huge=False),
        },
    )
    check(gan.generate_from, name, **{"z": np.zeros((5, 4)), name: value})


# --------------------------------------------------------------------------- seeds, profiles


@few(30)
@given(bad_seeds() | st.sampled_from([2**32, None, "1", np.float64(1.0)]))
def test_set_seed(seed):
    check(ganbook.set_seed, "seed", seed)


@pytest.fixture()
def profile_restored():
    chosen = profiles._chosen
    yield
    profiles._chosen = chosen


@few(20)
@given(st.sampled_from([3, "", "fast", "ci-mode", b"ci", ["ci"], 1.0, True, "lectur"]))
def test_set_profile(profile_restored, name):
    check(ganbook.set_profile, "name", name)


# --------------------------------------------------------------------------- checkpoints


@few(20)
@given(draw=st.data())
def test_checkpoint_train_arguments(draw, compiled_gans):
    gan, _ = compiled_gans
    x = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    name, value = draw_bad(
        draw.draw,
        {
            "gan": st.sampled_from(["gan", None, keras.Model]) | st.just("uncompiled"),
            "x": malformed_arrays((32, 2), -2, 2, accepts=("float64", "list")),
            "steps": bad_counts(huge=False),
            "batch_size": bad_counts(huge=False) | st.just(33),
            "directory": bad_paths().filter(lambda p: p != "/no/such/folder/at/all"),
            "every_steps": bad_counts(huge=False),
            "every_seconds": bad_positive_reals(),
            "keep": bad_counts(huge=False),
            "seed": bad_seeds().filter(lambda s: s != 2**64),
        },
    )
    if isinstance(value, str) and value == "uncompiled":
        value = GAN(gan.generator, gan.discriminator)
    with tempfile.TemporaryDirectory() as folder:
        kwargs = {
            "gan": gan,
            "x": x,
            "steps": 1,
            "batch_size": 16,
            "directory": folder,
            "every_steps": 1,
            "verbose": 0,
            name: value,
        }
        check(checkpoint.train, name, **kwargs)
