"""Programme files that ship with nppsim (``iran.toml``); loaded by :mod:`nppsim.programme`."""
