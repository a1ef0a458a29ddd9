"""ganbook.validate: a wrong kind is a TypeError, a wrong value a ValueError, and every message
names the argument, the rule and the value given."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ganbook import GAN, nets, validate
from ganbook.data import ring


@pytest.mark.parametrize("value", ["4", 4.0, 2.5, None, True, [4]])
def test_integer_refuses_other_kinds_with_a_type_error(value):
    with pytest.raises(TypeError, match=r"^steps must be an integer >= 1, got "):
        validate.integer(value, "steps", minimum=1)


@pytest.mark.parametrize(
    ("value", "rule"),
    [(0, ">= 1"), (-3, ">= 1"), (11, "in \\[1, 10\\]")],
)
def test_integer_refuses_values_outside_its_bounds_with_a_value_error(value, rule):
    maximum = 10 if value > 1 else None
    with pytest.raises(ValueError, match=rf"^steps must be an integer {rule}, got {value}$"):
        validate.integer(value, "steps", minimum=1, maximum=maximum)


def test_integer_returns_a_plain_int_at_its_bounds():
    assert validate.integer(np.int64(1), "steps", minimum=1, maximum=1) == 1
    assert type(validate.integer(np.int64(7), "steps")) is int


@pytest.mark.parametrize("value", ["0.1", None, True, 1j])
def test_number_refuses_other_kinds_with_a_type_error(value):
    with pytest.raises(TypeError, match=r"^rate must be a finite number > 0, got "):
        validate.number(value, "rate", above=0)


@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, math.inf, -math.inf])
def test_number_refuses_bad_values_and_non_finite_ones_with_a_value_error(value):
    with pytest.raises(ValueError, match=r"^rate must be a finite number > 0, got "):
        validate.number(value, "rate", above=0)


@pytest.mark.parametrize(
    ("bounds", "inside", "outside", "rule"),
    [
        (dict(minimum=0, below=1), 0.0, 1.0, "in \\[0, 1\\)"),
        (dict(above=0, maximum=1), 1.0, 0.0, "in \\(0, 1\\]"),
        (dict(minimum=0, maximum=1), 1.0, 1.5, "in \\[0, 1\\]"),
        (dict(below=0.5), -7.0, 0.5, "< 0.5"),
    ],
)
def test_number_tells_open_and_closed_bounds_apart(bounds, inside, outside, rule):
    assert validate.number(inside, "x", **bounds) == inside
    with pytest.raises(ValueError, match=rf"^x must be a finite number {rule}, got "):
        validate.number(outside, "x", **bounds)


def test_flag_takes_only_true_and_false():
    assert validate.flag(np.bool_(True), "spectral_norm") is True
    for value in (1, 0, "yes", None):
        with pytest.raises(TypeError, match="^spectral_norm must be True or False, got "):
            validate.flag(value, "spectral_norm")


def test_choice_separates_a_non_string_from_an_unknown_option():
    assert validate.choice("hinge", "loss", ("hinge", "wgan-gp")) == "hinge"
    with pytest.raises(ValueError, match=r"^loss must be one of 'hinge', 'wgan-gp', got 'l2'$"):
        validate.choice("l2", "loss", ("hinge", "wgan-gp"))
    with pytest.raises(TypeError, match="^loss must be one of"):
        validate.choice(3, "loss", ("hinge", "wgan-gp"))


def test_unit_range_allows_float32_rounding_and_nothing_more():
    edge = 1 + validate.UNIT_RANGE_TOLERANCE
    validate.in_unit_range(np.array([-edge, 0.0, edge]), "x")
    with pytest.raises(ValueError, match=r"x must hold values in \[-1, 1\].*0\.\.255"):
        validate.in_unit_range(np.array([0.0, 255.0]), "x")
    with pytest.raises(ValueError, match="non-finite"):
        validate.in_unit_range(np.array([0.0, math.nan]), "x")
    with pytest.raises(ValueError, match="from -1.01 to 0"):
        validate.in_unit_range(np.array([-1.01, 0.0]), "x")


def test_modules_agree_on_the_kind_of_error():
    """The same mistake raises the same error in the model and in the networks (issue 16)."""
    with pytest.raises(TypeError, match="latent_dim must be an integer"):
        nets.dcgan_generator(latent_dim="4")
    generator = nets.mlp_generator(latent_dim=2, out_dim=2)
    discriminator = nets.mlp_discriminator(in_dim=2)
    with pytest.raises(TypeError, match="latent_dim must be an integer"):
        GAN(generator, discriminator, latent_dim="4")
    with pytest.raises(ValueError, match=r"^n must be an integer in \[1, 100,000,000\], got 0$"):
        ring(0)
    with pytest.raises(TypeError, match=r"^n must be an integer in \[1, 100,000,000\], got 2.5$"):
        ring(2.5)
