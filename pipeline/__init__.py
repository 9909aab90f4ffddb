"""mlsys-bib: an awesome list of ML-systems papers in, a trusted bibliography out."""

__version__ = "0.1.0"
