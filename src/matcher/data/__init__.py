"""Packaged reference data (ESCO v1.1.1, European Commission; Belgian postcodes). See README.md."""
