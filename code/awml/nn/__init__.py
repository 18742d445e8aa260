"""The pieces of a neural network written out by hand in numpy: layers, activations,
losses and their derivatives, for checking against autograd."""
