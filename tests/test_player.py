import numpy as np

from awml.viz.animation import animate


def test_animation_player_needs_no_cdn():
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots()
    (line,) = axis.plot([0, 1], [0, 1])
    html = animate(figure, lambda i: line.set_ydata(np.array([0, i])), frames=2).data
    plt.close(figure)
    assert "anim-buttons" in html and "fa-play" in html
    assert "https://" not in html.split("<script")[0], "a style sheet is still linked"
    assert "maxcdn" not in html
