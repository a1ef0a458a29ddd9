"""The GPU baseline of ``train_speed.py``: the TensorFlow tutorial's DCGAN in eager PyTorch.

    python benchmarks/train_speed_torch.py [--steps 50] [--runs 5]

Same architecture (generator 2,330,944 and discriminator 212,865 parameters, like
``ganbook.nets.dcgan_*`` at width 1), batch 256, Adam(1e-4), the tutorial's step (one generator
pass, binary cross-entropy on logits), random data resident on the device. Prints images/s
(median and range) and the device. PyTorch is optional: it is not a dependency of ganbook.
"""

from __future__ import annotations

import argparse
import statistics
import time

try:
    import torch
    from torch import nn
except ImportError as error:  # pragma: no cover - optional baseline
    raise SystemExit("PyTorch is not installed: pip install torch to run this baseline") from error

BATCH, LATENT = 256, 100


def generator():
    return nn.Sequential(
        nn.Linear(LATENT, 7 * 7 * 256, bias=False),
        nn.BatchNorm1d(7 * 7 * 256),
        nn.LeakyReLU(0.3),
        nn.Unflatten(1, (256, 7, 7)),
        nn.ConvTranspose2d(256, 128, 5, 1, 2, bias=False),
        nn.BatchNorm2d(128),
        nn.LeakyReLU(0.3),
        nn.ConvTranspose2d(128, 64, 5, 2, 2, output_padding=1, bias=False),
        nn.BatchNorm2d(64),
        nn.LeakyReLU(0.3),
        nn.ConvTranspose2d(64, 1, 5, 2, 2, output_padding=1, bias=False),
        nn.Tanh(),
    )


def discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 5, 2, 2),
        nn.LeakyReLU(0.3),
        nn.Dropout(0.3),
        nn.Conv2d(64, 128, 5, 2, 2),
        nn.LeakyReLU(0.3),
        nn.Dropout(0.3),
        nn.Flatten(),
        nn.Linear(128 * 7 * 7, 1),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    g, d = generator().to(device), discriminator().to(device)
    g_opt, d_opt = torch.optim.Adam(g.parameters(), 1e-4), torch.optim.Adam(d.parameters(), 1e-4)
    bce = nn.BCEWithLogitsLoss()
    images = torch.rand(args.steps, BATCH, 1, 28, 28, device=device) * 2 - 1
    ones = torch.ones(BATCH, 1, device=device)
    zeros = torch.zeros(BATCH, 1, device=device)

    def step(real):
        fake = g(torch.randn(BATCH, LATENT, device=device))
        fake_logits = d(fake)
        g_loss = bce(fake_logits, ones)
        d_loss = bce(d(real), ones) + bce(d(fake.detach()), zeros)
        g_opt.zero_grad(set_to_none=True)
        d_opt.zero_grad(set_to_none=True)
        g_loss.backward(inputs=list(g.parameters()))
        d_loss.backward(inputs=list(d.parameters()))
        g_opt.step()
        d_opt.step()

    def run():
        for real in images:
            step(real)
        if device == "cuda":
            torch.cuda.synchronize()

    run()  # warm-up
    speeds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        run()
        speeds.append(args.steps * BATCH / (time.perf_counter() - start))
    name = torch.cuda.get_device_name() if device == "cuda" else "CPU"
    print(
        f"eager PyTorch {torch.__version__} on {name}: {statistics.median(speeds):.0f} images/s "
        f"(range {min(speeds):.0f} to {max(speeds):.0f}), batch {BATCH}"
    )


if __name__ == "__main__":
    main()
