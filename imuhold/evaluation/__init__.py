"""Accuracy evaluation against ground truth: labelled recordings and public datasets."""
