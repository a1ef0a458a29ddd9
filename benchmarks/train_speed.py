"""Training speed of the TensorFlow DCGAN tutorial's model: ganbook.GAN against the tutorial's own
training step, on the same random data, in one process, runs interleaved (A B A B ...).

    python benchmarks/train_speed.py                 # TensorFlow (default backend)
    KERAS_BACKEND=jax python benchmarks/train_speed.py   # ganbook.GAN on JAX (CPU or GPU)

Prints images/s (median and range over the runs), the ratio ganbook / tutorial, and the GFLOP/s
reached as a fraction of a float32 numpy matrix multiply measured in the same run. The tutorial's
step is re-stated faithfully from https://www.tensorflow.org/tutorials/generative/dcgan: two
GradientTapes in a ``tf.function``, one generator pass, Adam(1e-4) for both networks, batch 256.
FLOPs per image come from TensorFlow's graph profiler on that step.
"""

from __future__ import annotations

import argparse
import statistics
import time

import keras
import numpy as np

import ganbook
from ganbook import nets

# The tutorial's batch and latent size, stated here too: tutorial_dcgan.py imports TensorFlow,
# which JAX-only machines lack.
BATCH, LATENT = 256, 100


def matmul_gflops(n=2048, repeats=5):
    """Best float32 numpy matmul speed on this machine, GFLOP/s."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype("float32")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def tutorial_runner(images):
    """The tutorial's step on batches of ``images``, and its concrete graph for FLOP counting."""
    import tensorflow as tf
    from tutorial_dcgan import TutorialDCGAN

    tutorial = TutorialDCGAN()
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(BATCH, drop_remainder=True)

    def run():
        for batch in dataset:
            tutorial.train_step(batch)

    return run, tutorial.train_step.get_concrete_function(tf.TensorSpec([BATCH, 28, 28, 1]))


def step_flops(concrete_function):
    """Floating-point operations of one training step, from TensorFlow's graph profiler."""
    from tensorflow.python.profiler import model_analyzer, option_builder

    options = option_builder.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    graph = concrete_function.graph
    return model_analyzer.profile(graph, options=options).total_float_ops


def ganbook_runner(images):
    gan = ganbook.GAN(nets.dcgan_generator(LATENT), nets.dcgan_discriminator())
    gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))

    def run():
        gan.fit(images, batch_size=BATCH, epochs=1, verbose=0)

    return run


def timed(run, images_per_run):
    start = time.perf_counter()
    run()
    return images_per_run / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=12, help="training steps per timed run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each contender")
    args = parser.parse_args()
    backend = keras.backend.backend()
    ganbook.set_seed(0)
    images = np.random.default_rng(0).uniform(-1, 1, (BATCH * args.steps, 28, 28, 1))
    images = images.astype("float32")
    contenders = {"ganbook.GAN.fit": ganbook_runner(images)}
    flops = None
    if backend == "tensorflow":
        from tensorflow.python.framework import config as tf_config

        tf_config.disable_op_determinism()  # as the tutorial runs
        run, concrete = tutorial_runner(images)
        contenders = {"tutorial tf.function": run, **contenders}
        flops = step_flops(concrete) / BATCH
    for run in contenders.values():  # warm up: trace and compile
        run()
    speeds = {name: [] for name in contenders}
    for _ in range(args.runs):
        for name, run in contenders.items():
            speeds[name].append(timed(run, len(images)))
    peak = matmul_gflops()
    device = (
        ", ".join(str(d) for d in keras.config.list_logical_devices())
        if hasattr(keras.config, "list_logical_devices")
        else ""
    )
    print(
        f"backend {backend}; batch {BATCH}; {args.steps} steps per run, {args.runs} runs each, "
        f"interleaved {device}"
    )
    print(f"numpy float32 matmul: {peak:.0f} GFLOP/s")
    if flops:
        print(f"tutorial step: {flops / 1e9:.3f} GFLOP per image (TensorFlow profiler)")
    for name, values in speeds.items():
        median = statistics.median(values)
        line = f"{name:<22} {median:8.0f} images/s  (range {min(values):.0f} to {max(values):.0f})"
        if flops:
            gflops = median * flops / 1e9
            line += f"  {gflops:.0f} GFLOP/s = {gflops / peak:.0%} of matmul"
        print(line)
    if len(speeds) == 2:
        a, b = (statistics.median(v) for v in speeds.values())
        print(f"ratio ganbook / tutorial: {b / a:.2f}")


if __name__ == "__main__":
    main()
