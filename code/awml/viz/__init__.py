"""Figures shared by the chapters and the labs."""
