"""Small problems that fit on a screen: two-parameter loss surfaces and the paths of
optimizers across them."""
