"""The profile switch and seeding."""

import keras
import numpy as np
import pytest

import ganbook
from ganbook import profiles


@pytest.fixture
def clean_profile(monkeypatch):
    monkeypatch.delenv(profiles.ENV_VAR, raising=False)
    yield monkeypatch
    ganbook.set_profile(None)


def test_environment_variable_then_python_setting(clean_profile):
    clean_profile.setenv(profiles.ENV_VAR, "full")
    assert ganbook.profile() == "full"
    ganbook.set_profile("ci")
    assert ganbook.profile() == "ci"
    assert ganbook.pick(ci=1, lecture=2, full=3) == 1
    ganbook.set_profile(None)
    assert ganbook.profile() == "full"


def test_default_follows_the_hardware(clean_profile):
    clean_profile.setattr(profiles, "gpu_visible", lambda: True)
    assert ganbook.profile() == "full"
    clean_profile.setattr(profiles, "gpu_visible", lambda: False)
    assert ganbook.profile() == "lecture"


def test_unknown_profiles_are_named(clean_profile):
    with pytest.raises(ValueError, match=r"name must be one of \('ci', 'lecture', 'full'\)"):
        ganbook.set_profile("fast")
    clean_profile.setenv(profiles.ENV_VAR, "gpu")
    with pytest.raises(ValueError, match="GANBOOK_PROFILE must be one of"):
        ganbook.profile()


def test_pick_needs_all_three_values():
    with pytest.raises(TypeError):
        ganbook.pick(ci=1, lecture=2)


def draw_and_train():
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dropout(0.5), keras.layers.Dense(1)]
    )
    model.compile("adam", "mse")
    x = np.random.normal(size=(32, 3)).astype("float32")
    model.fit(x, x[:, :1], epochs=2, batch_size=8, verbose=0)
    return np.concatenate([w.ravel() for w in model.get_weights()])


def test_set_seed_makes_runs_repeat():
    ganbook.set_seed(123)
    first = draw_and_train()
    ganbook.set_seed(123)
    second = draw_and_train()
    np.testing.assert_array_equal(first, second)
    ganbook.set_seed(124)
    assert not np.array_equal(first, draw_and_train())


@pytest.mark.parametrize(
    ("seed", "error"),
    [(-1, ValueError), (2**32, ValueError), (1.5, TypeError), ("1", TypeError), (True, TypeError)],
)
def test_set_seed_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match=r"seed must be an integer in \[0, 4,294,967,295\]") as raised:
        ganbook.set_seed(seed)
    assert type(raised.value) is error
