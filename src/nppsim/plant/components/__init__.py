"""Plant components, one module each (see :mod:`nppsim.plant.component`)."""
