"""Training speed of the TensorFlow DCGAN tutorial's model: ganbook.GAN against the tutorial's own
training step, on the same random data, in one process, runs interleaved (A B C, C B A, ...).

    python benchmarks/train_speed.py                 # TensorFlow (default backend)
    KERAS_BACKEND=jax python benchmarks/train_speed.py   # ganbook.GAN on JAX (CPU or GPU)

Prints images/s (median and range over the runs), the ratios to the tutorial, and the GFLOP/s
reached as a fraction of a float32 numpy matrix multiply measured in the same run. The tutorial's
step is re-stated faithfully from https://www.tensorflow.org/tutorials/generative/dcgan: two
GradientTapes in a ``tf.function``, one generator pass, Adam(1e-4) for both networks, batch 256.
ganbook runs twice, fed the numpy array as the notebooks feed it: with ``update="simultaneous"``
(the tutorial's algorithm: one generator pass per step) and with its default
``update="alternating"`` (Algorithm 1 of Goodfellow et al.: one more generator pass and one more
discriminator pass on fakes per step). On TensorFlow a third contender, "ganbook Keras arrays",
runs the simultaneous step on Keras's own pipeline for numpy arrays, which ``ganbook.GAN.fit``
used before ``ganbook.batches``: it shows the stall that module removes.

FLOPs are counted from the layers' shapes (2 per multiply-add of the dense and convolution
layers). A training step costs about 3 forward passes (the forward one and twice as much
backward), for G and for D on the real and the fake batch: 3 (G + 2 D) per image. The GFLOP/s
column uses that count of the tutorial's algorithm for every contender.
"""

from __future__ import annotations

import argparse
import statistics
import time

import keras
import numpy as np

import ganbook
from ganbook import nets
from ganbook.guard import NumericGuard

# The tutorial's batch and latent size, stated here too: tutorial_dcgan.py imports TensorFlow,
# which JAX-only machines lack.
BATCH, LATENT = 256, 100
TUTORIAL = "tutorial tf.function"  # the baseline contender, TensorFlow only
KERAS_ARRAYS = "ganbook Keras arrays"  # ganbook before ganbook.batches, TensorFlow only


def matmul_gflops(n=2048, repeats=5):
    """Best float32 numpy matmul speed on this machine, GFLOP/s."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype("float32")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def devices(backend):
    """The devices ``backend`` computes on, as it names them, and whether one is a GPU."""
    if backend == "jax":
        import jax

        names = [str(d) for d in jax.devices()]
        return ", ".join(names), jax.default_backend() == "gpu"
    import tensorflow as tf

    names = [d.name for d in tf.config.list_logical_devices()]
    return ", ".join(names), any(":GPU:" in name for name in names)


def forward_flops(model):
    """FLOPs of one image's forward pass through the dense and convolution layers of ``model``."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            total += 2 * layer.kernel.shape[0] * layer.units
        elif isinstance(layer, keras.layers.Conv2DTranspose):  # each input pixel: a k x k stamp
            kh, kw, c_out, c_in = layer.kernel.shape
            total += 2 * np.prod(layer.input.shape[1:3]) * kh * kw * c_in * c_out
        elif isinstance(layer, keras.layers.Conv2D):  # each output pixel: a k x k window
            kh, kw, c_in, c_out = layer.kernel.shape
            total += 2 * np.prod(layer.output.shape[1:3]) * kh * kw * c_in * c_out
    return int(total)


def tutorial_runner(images):
    """The tutorial's step on batches of ``images``."""
    import tensorflow as tf
    from tutorial_dcgan import TutorialDCGAN

    tutorial = TutorialDCGAN()
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(BATCH, drop_remainder=True)

    def run():
        for batch in dataset:
            tutorial.train_step(batch)

    return run


def ganbook_runner(images, update, keras_arrays=False):
    """``ganbook.GAN.fit`` on ``images``, a numpy array, as the notebooks call it. With
    ``keras_arrays`` the arrays go through Keras's own ``tf.data`` pipeline for numpy instead
    of :func:`ganbook.batches.tensorflow_batches` (the same batches, with tf.data's autotuning
    on, which stalls about 4 s as most calls of ``fit`` return: ``benchmarks/README.md``,
    "Training speed")."""
    gan = ganbook.GAN(nets.dcgan_generator(LATENT), nets.dcgan_discriminator())
    gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4), update=update)
    fit = keras.Model.fit if keras_arrays else ganbook.GAN.fit

    def run():
        fit(gan, images, batch_size=BATCH, epochs=1, verbose=0, callbacks=[NumericGuard()])

    return run


def timed(run, images_per_run):
    """Images per second of wall time and per second of this process's CPU time (all threads).

    The machines this course is measured on are virtual and their speed jumps between levels
    from run to run; CPU time counts only the cycles the process got, so its ratio between two
    contenders moves less with those jumps (it also counts a thread that spins waiting)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (
        images_per_run / (time.perf_counter() - wall),
        images_per_run / (time.process_time() - cpu),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20, help="training steps per timed run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each contender")
    args = parser.parse_args()
    backend = keras.backend.backend()
    ganbook.set_seed(0)
    images = np.random.default_rng(0).uniform(-1, 1, (BATCH * args.steps, 28, 28, 1))
    images = images.astype("float32")
    contenders = {
        f"ganbook {update}": ganbook_runner(images, update)
        for update in ("simultaneous", "alternating")
    }
    if backend == "tensorflow":
        from tensorflow.python.framework import config as tf_config

        tf_config.disable_op_determinism()  # as the tutorial runs
        contenders = {
            TUTORIAL: tutorial_runner(images),
            **contenders,
            KERAS_ARRAYS: ganbook_runner(images, "simultaneous", keras_arrays=True),
        }
    flops = 3 * (
        forward_flops(nets.dcgan_generator(LATENT)) + 2 * forward_flops(nets.dcgan_discriminator())
    )
    for run in contenders.values():  # warm up: trace and compile
        run()
    speeds = {name: [] for name in contenders}
    per_cpu = {name: [] for name in contenders}
    for round_ in range(args.runs):
        order = list(contenders.items())
        for name, run in order if round_ % 2 == 0 else order[::-1]:  # A B C, C B A, ...
            wall, cpu = timed(run, len(images))
            speeds[name].append(wall)
            per_cpu[name].append(cpu)
    peak = matmul_gflops()
    device, on_gpu = devices(backend)
    print(
        f"backend {backend} on {device}; batch {BATCH}; {args.steps} steps per run, "
        f"{args.runs} runs each, interleaved"
    )
    print(f"numpy float32 matmul (CPU): {peak:.0f} GFLOP/s")
    print(f"training step: {flops / 1e9:.3f} GFLOP per image (3 x (G + 2 D) forward)")
    medians = {name: statistics.median(values) for name, values in speeds.items()}
    for name, values in speeds.items():
        gflops = medians[name] * flops / 1e9
        share = "" if on_gpu else f" = {gflops / peak:.0%} of matmul"
        print(
            f"{name:<24} {medians[name]:6.0f} images/s  (range {min(values):.0f} to "
            f"{max(values):.0f})  {gflops:.0f} GFLOP/s{share}"
        )
    cpu_medians = {name: statistics.median(values) for name, values in per_cpu.items()}
    for name, values in per_cpu.items():
        print(
            f"{name:<24} {cpu_medians[name]:6.0f} images per CPU second  (range "
            f"{min(values):.0f} to {max(values):.0f})"
        )
    if TUTORIAL in medians:
        for name in medians:
            if name != TUTORIAL:
                print(
                    f"ratio {name} / tutorial: {medians[name] / medians[TUTORIAL]:.2f} (wall), "
                    f"{cpu_medians[name] / cpu_medians[TUTORIAL]:.2f} (CPU time), "
                    f"{max(speeds[name]) / max(speeds[TUTORIAL]):.2f} (fastest runs)"
                )


if __name__ == "__main__":
    main()
