"""Module 1: the interactive explorer and the figures of the chapter."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from awml.viz.explore import StaticExplorer, explore  # noqa: E402


def _draw(a, kind):
    figure, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, a], "-" if kind == "line" else "o")
    return figure


def test_static_explorer_stores_every_combination_behind_controls():
    explorer = explore(_draw, {"a": [1, 2, 3], "kind": ["line", "dots"]}, mode="static",
                       initial={"a": 2})
    assert isinstance(explorer, StaticExplorer)
    assert len(explorer.frames) == 6
    page = explorer._repr_html_()
    assert page.count('type="range"') == 1 and page.count("<select") == 1
    assert explorer.frames["1_0"] in page  # the initial picture is shown first
    assert "<script>" in page and explorer.uid in page
    assert plt.get_fignums() == []  # every figure was closed


def test_live_explorer_builds_widgets():
    import ipywidgets

    box = explore(_draw, {"a": [1, 2], "kind": ["line"]}, mode="live")
    assert isinstance(box, ipywidgets.VBox)
    sliders = box.children[0].children
    assert [type(w).__name__ for w in sliders] == ["SelectionSlider", "ToggleButtons"]


def test_explorer_refuses_bad_controls():
    with pytest.raises(ValueError, match="combinations"):
        explore(_draw, {"a": list(range(10)), "kind": list("abcdefg")}, mode="static")
    with pytest.raises(ValueError, match="mode"):
        explore(_draw, {"a": [1]}, mode="movie")
    with pytest.raises(ValueError, match="initial"):
        explore(_draw, {"a": [1], "kind": ["line"]}, mode="static", initial={"a": 5})


def test_chapter_figures_draw():
    from awml.nn.initialization import propagate
    from awml.toys.descent import trajectory
    from awml.toys.surfaces import get_surface
    from awml.viz import activations, descent, initialization, losses, regularization

    ravine = get_surface("ravine")
    paths = {"sgd": trajectory(ravine, "sgd", 0.09, 20),
             "adam": trajectory(ravine, "adam", 0.3, 20)}
    animation = descent.animate_paths([(ravine, paths, "ravine")], frames=3)
    assert "<script" in animation.data and animation.data.count("data:image/png") >= 3
    spread = propagate(np.random.default_rng(0).normal(size=(50, 20)), depth=5, width=16)
    figures = [activations.plot_activation_family(),
               activations.plot_activation_on_data("elu", np.linspace(-3, 3, 100)),
               descent.plot_one_optimizer("ravine", "momentum", "larger"),
               initialization.plot_spread_curves([spread]),
               initialization.plot_layer_histograms(spread),
               losses.plot_regression_losses(0.5), losses.plot_binary_losses(),
               regularization.plot_norm_balls(), regularization.plot_constrained(1, 1.0)]
    assert all(len(figure.axes) >= 1 for figure in figures)
    plt.close("all")
