"""dz: answer fact queries about the Dezhou Economic and Technological Development Zone."""

__version__ = "0.1.0"
