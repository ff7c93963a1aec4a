"""Builders of test data (zips, bundles, workbooks), made by code so tests never depend on binary fixtures."""
