"""Computer vision by hand: convolution arithmetic, edge filters, class-activation maps,
boxes and their overlap, non-maximum suppression, the YOLO target format, and feature
visualisation by gradient ascent."""
