"""Training scripts for the models shipped as package data (run on the development data, never at run time)."""
