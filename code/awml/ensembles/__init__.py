"""Combining models: averaging predictions, Monte Carlo dropout, fusing detector boxes."""
