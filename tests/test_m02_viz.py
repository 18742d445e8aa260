"""Module 2: the chapter's figures draw from real photographs."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from awml.data.people import photograph  # noqa: E402
from awml.vision.boxes import grid_target, jitter_proposals, nms  # noqa: E402
from awml.vision.ground_truth import SIDELINE  # noqa: E402


def test_convolution_and_edge_figures_draw():
    from awml.vision.edges import KERNELS, learn_filter
    from awml.viz import convolution

    camera = photograph("camera")[::8, ::8]
    learning = learn_filter(camera, np.zeros(camera.shape[:2]), steps=2, record=(0, 2))
    figures = [convolution.plot_conv_geometry(5, 2, 2, 2),
               convolution.plot_filter_choice(camera, "magnitude"),
               convolution.plot_filter_choice(camera, "blur"),
               convolution.plot_kernels(KERNELS),
               convolution.plot_learned_filter(learning, 2, KERNELS["sobel_x"]),
               convolution.plot_rgb_filters(np.random.default_rng(0).normal(size=(8, 3, 3, 3)))]
    assert all(figure.axes for figure in figures)
    plt.close("all")


def test_detection_figures_draw():
    from awml.viz import detection

    photo = SIDELINE.image()[::4, ::4]
    scaled = SIDELINE.boxes / 4
    candidates, scores, owners = jitter_proposals(scaled, width=320, height=180)
    kept = nms(candidates, scores, 0.5)
    target = grid_target(scaled, SIDELINE.classes, 320, 180, grid=7)
    figures = [detection.plot_boxes(photo, scaled, SIDELINE.names()),
               detection.plot_iou(photo, scaled[0], scaled[1]),
               detection.plot_nms(photo, candidates, scores, owners, kept,
                                  ["x"] * len(candidates)),
               detection.plot_grid_target(photo, scaled, SIDELINE.names(), target.cells, 7)]
    assert "IoU" in figures[1].axes[0].get_title()
    assert "3 distinct cells" in figures[3].axes[0].get_title()
    plt.close("all")
