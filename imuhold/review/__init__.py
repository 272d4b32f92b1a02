"""Reviewing stored sessions without a screen library: the text tilt chart and the rows of the tables."""
