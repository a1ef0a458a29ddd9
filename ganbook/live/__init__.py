"""Watch a GAN learn while ``fit()`` runs: :class:`Dashboard`, a Keras callback.

Taught in notebook 03 (``03_training_a_dcgan.ipynb``), section "A conditional DCGAN with
`fit()`, watched live"; notebook 02 uses its 2-D mode on the ring of Gaussians.

A GAN's losses say little about what it has learned: the discriminator's loss can sit still while
the samples go from noise to digits. So the dashboard shows the samples themselves. It keeps one
**fixed** batch of noise z, drawn once before training, and redraws G(z) for that same batch every
second or two, so each cell of the grid follows one z as the generator learns (the same z as
``gan.generate(samples, seed=seed)``). Next to it, it plots

* the losses of both players, one value per training step, and
* D(x) and D(G(z)), the discriminator's mean output on real and generated samples. For the
  minimax and non-saturating games both are probabilities, and at the equilibrium of Goodfellow
  et al. (2014) D outputs 1/2 everywhere; for WGAN-GP and hinge they are raw critic scores.

For 2-D data (notebooks 02 and 04) the sample grid becomes a scatter of generated points over the
real ones (``data=``), drawn on top of the discriminator's decision map: D evaluated on a grid of
the plane, so you can see D push the generated points towards the regions it believes are real.

Usage::

    dashboard = ganbook.live.Dashboard(samples=16, seed=0)
    gan.fit(images, batch_size=64, epochs=5, callbacks=[dashboard], verbose=0)
    dashboard.figure()                 # a static figure: final samples and loss curves

``verbose=0`` keeps Keras's own progress bar from printing beside the dashboard's.

Steps are global: the dashboard counts from the training step the GAN has reached, its generator
optimizer's ``iterations`` (:func:`ganbook.steps.step_of`, one per generator update, so
whatever ``n_critic`` and ``steps_per_execution`` are). A run resumed from a checkpoint at step 30
and trained 30 more steps reads "step 60 / 60", and its curves run from step 30 to 60. Fitted
again, a GAN continues the same dashboard's curves.

For a conditional GAN the grid has one column per class: the labels run 0, 1, ...,
``num_classes - 1`` along each row, and each row is a new z.

How it stays cheap: the dashboard draws only when ``every_seconds`` of wall time have passed, and
only while its redraws have taken less than ``max_overhead`` (3 %) of the time since training
began (after a slow redraw, the next one waits; the first two, which build the figures, are not
counted). So it costs a few per cent of training throughput; ``benchmarks/dashboard_overhead.py``
measures it. It always draws once more when training ends, so the final state is on screen.

Where it draws: inside a Jupyter kernel with ipywidgets it shows one widget layout (sample
``ipywidgets.Image``, loss curves, ``IntProgress`` bar) and updates it in place. Anywhere else
(plain Python, a terminal) it prints a text progress bar with tqdm instead. A saved notebook keeps
a PNG of the final state next to the widget, so viewers that cannot run widgets still show the
result; ``gif_path=`` also writes an animated GIF of the whole evolution.

The dashboard never stops training: an error inside it is reported once as a warning and the
dashboard switches itself off.

The parts, one idea each: :mod:`ganbook.live.log` (the step log: one value per step, at global
steps, and the training rate), :mod:`ganbook.live.budget` (when a redraw may happen),
:mod:`ganbook.live.plots` (the grid, the scatter on D's map and the curves, redrawn by blitting),
:mod:`ganbook.live.views` (the ipywidgets layout and the tqdm text bar) and
:mod:`ganbook.live.dashboard` (the callback that ties them together).
"""

from ganbook.live.dashboard import Dashboard
from ganbook.live.plots import image_grid
from ganbook.live.views import duration, widget_frontend

__all__ = ["Dashboard", "duration", "image_grid", "widget_frontend"]
