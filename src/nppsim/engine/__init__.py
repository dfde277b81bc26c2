"""The engine: the compiled stiff integrator, the steerable simulation and the pure run."""
